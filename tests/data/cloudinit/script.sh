#!/bin/sh
# a user_data that is not a cloud-config: sent as it is
touch /var/tmp/mark
