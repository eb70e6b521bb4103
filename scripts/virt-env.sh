# Sourced by demo.sh and test.sh after setup.sh: where scripts/kvm-check.sh
# found that KVM cannot run guests (it printed why), the guests run under TCG.
# A CLOUBED_VIRT_TYPE set by the caller is kept.
if [ -z "${CLOUBED_VIRT_TYPE:-}" ] && [ -r /var/lib/cloubed/kvm-verdict ]; then
    read -r cb_verdict cb_why </var/lib/cloubed/kvm-verdict || cb_verdict=""
    [ "$cb_verdict" = qemu ] && export CLOUBED_VIRT_TYPE=qemu
    unset cb_verdict cb_why
fi
