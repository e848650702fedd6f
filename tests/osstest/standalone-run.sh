#!/bin/bash
# OSSTest's controller in standalone mode against the test bed's dom0: the
# osstest-standalone scenario's host-run (tests/system/osstest-standalone;
# docs/osstest.md, "A standalone run against the test bed"):
#   standalone-run.sh <guest> <its config in dom0> <its MAC> <its address>
# In a scratch copy of $OSSTEST_DIR (build/osstest-standalone/osstest, no
# .git): osstest-jobs.patch applied (patch -p1 --fuzz=0), ts-xen-ttm-dma32
# copied in; a standalone config (JobDB Standalone, HostDB Static, the test
# host "xtest" at 127.0.0.1, the guest's address in a DHCP leases file);
# ssh and scp with a private config (the forwarded port, the run's key:
# XTEST_SSH_PORT, XTEST_SSH_KEY, XTEST_SSH_GUESTS from tests/run-scenario.sh)
# that wrappers first on the PATH add; then sa-init-db, cs-flight-create,
# cs-job-create for test-amd64-amd64-xl-ttm-dma32 with its runvars, and
# ./standalone run-test for each step below.
# One PASS/FAIL/SKIP line per step from OSSTest's records: run-test's exit
# status (the step's, which sg-run-job makes the step's status) and the
# step's log (logs/standalone/<job>.<ts>.log, copied to
# build/logs/osstest-standalone/ with standalone.db); a REPORT line each with
# its time.  A failed step ends the job, as in sg-run-job.  Without
# OSSTEST_DIR: one SKIP line.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/scripts/lib.sh"

if [ -z "${OSSTEST_DIR:-}" ]; then
	echo "SKIP: osstest: OSSTEST_DIR is not set (an OSSTest checkout)"
	exit 0
fi
[ $# = 4 ] || die "usage: $0 <guest> <config path in dom0> <MAC> <address>"
guest=$1 cfgpath=$2 mac=$3 addr=$4
: "${XTEST_SSH_PORT:?no ssh forward to dom0 (# ssh: in the scenario)}" "${XTEST_SSH_KEY:?}"
# the guest's address as the host reaches it (its port 22 forwarded there)
ip=$(tr ' ' '\n' <<<"${XTEST_SSH_GUESTS:-}" | sed -n "s/^$addr=//p")
[ -n "$ip" ] || die "no forward to $addr's ssh (# ssh: dom0 $addr)"

job=test-amd64-amd64-xl-ttm-dma32
work=$BUILD/osstest-standalone
out=$LOGS/osstest-standalone
rm -rf "$work" "$out"
mkdir -p "$work/osstest" "$work/bin" "$out"
tar -C "$OSSTEST_DIR" --exclude=.git -cf - . | tar -C "$work/osstest" -xf - ||
	die "cannot copy $OSSTEST_DIR"
cd "$work/osstest" || exit 1
patch -p1 --fuzz=0 <"$TOP/tests/osstest/osstest-jobs.patch" >"$out/patch.log" 2>&1 ||
	{ echo "FAIL: osstest: osstest-jobs.patch applies: $(tail -n 1 "$out/patch.log")"; exit 1; }
cp "$TOP/tests/osstest/ts-xen-ttm-dma32" .

# ssh and scp (which runs ssh with its own -F) with our config, whatever
# OSSTest's ssh options: dom0 at 127.0.0.1 on the forwarded port
for p in ssh scp; do
	printf '#!/bin/sh\nexec %s -F %s "$@"\n' "$(command -v $p)" "$work/ssh_config" >"$work/bin/$p"
	chmod +x "$work/bin/$p"
done
cat >"$work/ssh_config" <<EOF
Host 127.0.0.1
	Port $XTEST_SSH_PORT
Host *
	IdentityFile $XTEST_SSH_KEY
	IdentitiesOnly yes
EOF
# The guest's address as a DHCP server's leases would give it (OSSTest's
# DhcpWatch "leases"): the guest has a static one, the host reaches it at $ip
cat >"$work/dhcp-leases" <<EOF
lease $ip {
  binding state active;
  hardware ethernet $mac;
  ends 4 2037/12/31 23:59:59;
}
EOF
cat >"$work/config" <<EOF
JobDB Standalone
HostDB Static
HostProp_xtest_IpAddr 127.0.0.1
HostProp_DhcpWatchMethod leases dhcp3 $work/dhcp-leases
EOF
export OSSTEST_CONFIG=$work/config PATH=$work/bin:$PATH
unset SSH_AUTH_SOCK
# osstest of 2015 loads its modules with "use Osstest" and no "." in @INC,
# which Perl 5.26 and later no longer have
export PERL5LIB=$work/osstest

# The job: runvars as make-flight and ts-debian-install would set them for
# our guest (debian_dma32_quota as osstest-jobs.patch's make-flight sets
# it).  The guest is checked over ssh (tcpcheckport 22), not by ping (QEMU's
# user network carries no ICMP to it); OSSTest's nc check of port 22
# passes as soon as QEMU's forward accepts, before the guest is up, so its
# first ssh waits for the guest through QEMU's SYN retries (slirp's BSD
# TCP: a backoff that doubles from 3 s): general_timeoutfactor 3 gives ssh
# commands on the guest 90 s instead of 30.
setup() {
	./sa-init-db standalone.db &&
		./cs-flight-create play xen-ttm &&
		./cs-job-create standalone $job test-debian-xen-ttm-dma32 \
			toolstack=xl xen_ttm_dma32_checks="$TOP/tests/osstest" \
			"${guest}_hostname=$guest" "${guest}_cfgpath=$cfgpath" \
			"${guest}_ether=$mac" "${guest}_tcpcheckport=22" "${guest}_pingbroken=1" \
			"${guest}_boot_timeout=200" "${guest}_general_timeoutfactor=3" \
			"${guest}_dma32_quota=64"
}
if ! setup >"$out/setup.log" 2>&1; then
	echo "FAIL: osstest: the standalone database and job: $(tail -n 1 "$out/setup.log")"
	exit 1
fi

# The job's steps in sg-run-job's order (recipe test-debian-xen-ttm-dma32 of
# osstest-jobs.patch, between per-host-prep's and per-host-finish's leak
# checks; install-guest-debian's guest-start here starts the guest dom0
# configured): <step>|<ts script>|<arguments before the host>|<after it>
steps=(
	"leak-check/basis|ts-leak-check|basis|"
	"guest-start|ts-guest-start||$guest"
	"xen-ttm-dma32|ts-xen-ttm-dma32||$guest"
	"guest-start.dma32|ts-guest-start||$guest"
	"migrate-support-check|ts-migrate-support-check||$guest 1"
	"saverestore-support-check|ts-saverestore-support-check||$guest"
	"guest-saverestore|ts-guest-saverestore||$guest"
	"guest-localmigrate|ts-guest-localmigrate||$guest"
	"guest-stop|ts-guest-stop||$guest"
	"leak-check/check|ts-leak-check|check|"
)
t0=$(date +%s)
n=0 failed=
for s in "${steps[@]}"; do
	IFS='|' read -r name ts before after <<<"$s"
	n=$((n + 1))
	what="osstest step $name (./$ts${before:+ $before} host=xtest${after:+ $after})"
	if [ -n "$failed" ]; then
		echo "SKIP: $what: not run ($failed failed)"
		continue
	fi
	t=$(date +%s)
	# shellcheck disable=SC2086
	./standalone run-test -c "$OSSTEST_CONFIG" -h xtest -- $job "$ts" $before -- $after \
		>"$out/$n-${name//\//-}.run" 2>&1
	rc=$?
	secs=$(($(date +%s) - t))
	log=logs/standalone/$job.$ts.log
	cp "$log" "$out/$n-${name//\//-}.log" 2>/dev/null
	if [ $rc = 0 ]; then
		echo "PASS: $what"
		echo "REPORT: osstest standalone: $name pass, ${secs} s"
	else
		why=$(grep -aE 'FAILURE: |BROKEN: ' "$log" 2>/dev/null | head -n 1)
		[ -n "$why" ] || why=$(grep -av '^\s*$' "$log" 2>/dev/null | tail -n 1)
		echo "FAIL: $what: exit status $rc after ${secs} s: ${why:-no log (see ${out#"$TOP"/}/$n-${name//\//-}.run)}"
		echo "REPORT: osstest standalone: $name fail, ${secs} s"
		failed=$name
	fi
done
echo "REPORT: osstest standalone: $n steps in $(($(date +%s) - t0)) s (logs: ${out#"$TOP"/})"
cp standalone.db "$out/"
[ -z "$failed" ]
