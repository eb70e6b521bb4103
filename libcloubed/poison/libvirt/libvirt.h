/* Found first on the include path of model/, util/ and render/ (see
 * libcloubed/meson.build): those layers must not use libvirt. */
#error "libcloubed/model, util and render must not include libvirt (see README, Layout)"
