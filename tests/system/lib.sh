# Helpers for scenario scripts running inside dom0 (copied to /tests/lib.sh).
# Each check prints one XTEST-PASS / XTEST-FAIL line read by tests/run-scenario.sh.
# shellcheck shell=sh

pass() { echo "XTEST-PASS: $1"; }
fail() { echo "XTEST-FAIL: $1${2:+: $2}"; }

# check <description> <command...>: pass when the command succeeds.
check() {
	_d=$1
	shift
	if _o=$("$@" 2>&1); then pass "$_d"; else fail "$_d" "$(echo "$_o" | tail -n 3 | tr '\n' ' ')"; fi
}

# check_eq <description> <expected> <actual>
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# wait_for <seconds> <command...>: poll until the command succeeds.
wait_for() {
	_t=$1
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 1
		_t=$((_t - 1))
	done
	return 1
}

# xl_info_field <field>: one value of 'xl info'.
xl_info_field() {
	xl info | sed -n "s/^$1[[:space:]]*: *//p"
}

# ktap <suite>: print a KUnit suite's results for the host to parse.
ktap() {
	echo "XTEST-KTAP-BEGIN $1"
	cat "/sys/kernel/debug/kunit/$1/results"
	echo "XTEST-KTAP-END $1"
}
