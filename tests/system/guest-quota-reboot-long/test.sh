# guest-quota-reboot at its release length: 10 reboot cycles (make test
# runs 2 of them).
# release: 1
# timeout: 900
# group: guests
cycles=10
. ../guest-quota-reboot/test.sh
