# OSSTest against this dom0 (docs/osstest.md, "A standalone run against
# the test bed"): dom0 is an OSSTest test host.  Its address is on a bridge
# (xenbr0, as OSSTest installs hosts) with its NIC on QEMU's user network;
# the host reaches dom0's ssh at 127.0.0.1:<a free port> and the guest's at
# 127.0.0.2:22 (# ssh below).  dom0 runs Debian's dropbear (scp through
# /usr/lib/sftp-server, GNU ps and find for ts-leak-check, root's and the
# osstest user's keys) and has the job's guest "debian" configured where its
# runvars say: a busybox PV guest with dropbear on the bridge, in place of
# the Debian guest ts-debian-install would make.  Then the host runs
# OSSTest's controller (host-run: tests/osstest/standalone-run.sh, each step
# a ./standalone run-test) and each step's outcome in OSSTest's records is a
# check here.  Skipped, nothing booted, without an OSSTest checkout
# (OSSTEST_DIR).
# timeout: 1800
# release: 1
# needs-env: OSSTEST_DIR
# ssh: dom0 10.0.2.16
. ../lib.sh

key=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^xtest\.sshkey=//p')
guest=debian
cfg=/etc/xen/$guest.cfg
mac=00:16:3e:58:54:01
addr=10.0.2.16

# The host's network as OSSTest sets it up: dom0's address on a bridge with
# the NIC in it; the guest's vif joins it (vif-bridge beside this file).  A
# new bridge has no STP: its ports forward at once.
net_up() {
	ip link set lo up && brctl addbr xenbr0 && brctl addif xenbr0 eth0 &&
		ip link set eth0 up && ip link set xenbr0 up &&
		ip addr add 10.0.2.15/24 dev xenbr0
}

# Debian's dropbear: root's key the host's (xtest.sshkey), the osstest
# user's too (OSSTest fetches files as osstest); and, for xl migrate to
# localhost (ts-guest-localmigrate: "ssh localhost xl migrate-receive"),
# a key of dom0's own and ssh = dropbear's client.  /var/tmp and /var/core
# are there as on an installed host (ts-leak-check lists them).
sshd_up() {
	echo 'osstest:x:1000:1000:osstest:/home/osstest:/bin/sh' >>/etc/passwd
	echo 'osstest:x:1000:' >>/etc/group
	mkdir -p /root/.ssh /home/osstest/.ssh /etc/dropbear /var/tmp /var/core
	echo "ssh-ed25519 $key xen-ttm controller" >/root/.ssh/authorized_keys
	cp /root/.ssh/authorized_keys /home/osstest/.ssh/
	chown -R osstest:osstest /home/osstest
	chmod 700 /root/.ssh /home/osstest/.ssh
	dropbearkey -t ed25519 -f /root/.ssh/id_dropbear | grep '^ssh-ed25519 ' >>/root/.ssh/authorized_keys
	printf '#!/bin/sh\nexec dbclient -y -i /root/.ssh/id_dropbear "$@"\n' >/usr/local/bin/ssh
	chmod +x /usr/local/bin/ssh
	printf '127.0.0.1 localhost\n10.0.2.15 xtest\n' >/etc/hosts
	echo 'hosts: files' >/etc/nsswitch.conf
	dropbearkey -t ed25519 -f /etc/dropbear/dropbear_ed25519_host_key >/dev/null &&
		{ dropbear -F -E -p 22 -P /run/dropbear.pid </dev/null >/dev/null 2>/var/log/dropbear.log & } &&
		wait_for 10 sh -c 'netstat -ltn | grep -q ":22 "'
}

check "dom0 on the bridge xenbr0 with its NIC (QEMU's user network)" net_up
check "dropbear listens on port 22, with the host's key" sshd_up
check_eq "the sftp-server Debian's dropbear runs is there" yes \
	"$([ -x /usr/lib/sftp-server ] && echo yes)"
GUEST_EXTRA="xtest.net=$addr/24 xtest.sshkey=$key" guest_cfg $guest 128 \
	"vif = [ 'mac=$mac,bridge=xenbr0,script=$PWD/vif-bridge' ]"
mv /tmp/$guest.cfg $cfg
if [ "$(counted fail)" = 0 ]; then
	host_run 1700 $guest $cfg $mac $addr
	echo "host-run ended with status $?"
else
	skip "OSSTest's steps" "dom0 is not ready as a test host"
fi
echo "---- dom0's dropbear log, last lines ----"
tail -n 20 /var/log/dropbear.log
kill "$(cat /run/dropbear.pid 2>/dev/null)" 2>/dev/null
true
