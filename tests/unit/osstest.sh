#!/bin/bash
# tests/osstest: ts-xen-ttm-dma32 and dma32-host-checks, run here against
# stand-ins for osstest's modules (tests/osstest/stub) and a fake xl,
# xenstore and test-dma32-quota: the runvar is parsed as xl.cfg sizes
# (bad ones refused), the quota lands in the guest's config, the test
# bed's checks run on the "host" and a failed one fails the step, a
# leftover domain fails the leak check.  The step runs as osstest runs it:
# ./ts-xen-ttm-dma32 in a directory laid out like an osstest checkout,
# Debian's Perl, no -I, no PERL5LIB.  osstest-jobs.patch is applied with
# patch -p1 --fuzz=0, git apply and git am to excerpts of osstest of 2015
# and of 2021 (tests/osstest/excerpts) and the result checked.  With
# OSSTEST_DIR naming an osstest checkout, the same against a copy of it,
# and perl -c with its real modules (needs libdbi-perl).
. "$(dirname "$0")/lib.sh"
O=$TOP/tests/osstest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# perl_here <dir> <args...>: Debian's Perl as osstest starts a step: from
# its checkout, nothing added to @INC from outside
perl_here() {
	local dir=$1
	shift
	(cd "$dir" && exec env -u PERL5LIB -u PERLLIB -u PERL5OPT "$@")
}

# An osstest-like checkout: the stand-ins as ./Osstest.pm and
# ./Osstest/TestSupport.pm, the step beside them
L=$tmp/checkout
mkdir -p "$L/Osstest"
cp "$O/stub/Osstest.pm" "$L/"
cp "$O/stub/Osstest/TestSupport.pm" "$L/Osstest/"
cp "$O/ts-xen-ttm-dma32" "$L/"
chmod +x "$L/ts-xen-ttm-dma32"
check "ts-xen-ttm-dma32 compiles as osstest runs it (cd checkout; /usr/bin/perl -c ./ts-xen-ttm-dma32; stand-in modules, no -I)" \
	perl_here "$L" /usr/bin/perl -c ./ts-xen-ttm-dma32
check_eq "its BEGIN line adds . to @INC before use Osstest, as osstest's ts- scripts do" \
	'BEGIN { unshift @INC, qw(.); }|use Osstest;' \
	"$(grep -E -m2 '^(BEGIN \{ unshift @INC|use Osstest;)' "$O/ts-xen-ttm-dma32" | paste -sd'|')"
# Without that line Perl >= 5.26 (no . in @INC) cannot load osstest's modules
grep -vx 'BEGIN { unshift @INC, qw(.); }' "$O/ts-xen-ttm-dma32" >"$L/ts-no-inc"
chmod +x "$L/ts-no-inc"
check_eq "... a copy without it is one line shorter" 1 \
	$(($(wc -l <"$O/ts-xen-ttm-dma32") - $(wc -l <"$L/ts-no-inc")))
# no_osstest_pm <status> <output>: a failure to load Osstest.pm
no_osstest_pm() { [ "$1" != 0 ] && grep -q "^Can't locate Osstest.pm in @INC" <<<"$2"; }
out=$(perl_here "$L" ./ts-no-inc host debian 2>&1)
rc=$?
check "... and fails there, Can't locate Osstest.pm (Debian's Perl $(/usr/bin/perl -e 'printf "%vd", $^V'): no . in @INC)" \
	no_osstest_pm "$rc" "$out"

if [ -n "${OSSTEST_DIR:-}" ] && [ -f "$OSSTEST_DIR/Osstest/TestSupport.pm" ]; then
	R=$tmp/osstest
	mkdir -p "$R"
	tar -C "$OSSTEST_DIR" --exclude=.git -cf - . | tar -C "$R" -xf -
	cp "$O/ts-xen-ttm-dma32" "$L/ts-no-inc" "$R/"
	if /usr/bin/perl -MDBI -e 1 2>/dev/null; then
		check "ts-xen-ttm-dma32 compiles in a copy of $OSSTEST_DIR with its modules (cd; /usr/bin/perl -c ./ts-xen-ttm-dma32)" \
			perl_here "$R" /usr/bin/perl -c ./ts-xen-ttm-dma32
		out=$(perl_here "$R" /usr/bin/perl -c ./ts-no-inc 2>&1)
		rc=$?
		check "... without its BEGIN line it fails there: Can't locate Osstest.pm" no_osstest_pm "$rc" "$out"
	else
		fail "perl -c with osstest's modules ($OSSTEST_DIR)" "Osstest/TestSupport.pm uses DBI: apt-get install libdbi-perl"
	fi
else
	echo "SKIP: unit/$SUITE: perl -c with osstest's modules (set OSSTEST_DIR to an osstest checkout)"
fi

# step <runvars> [FAKE=... env]: run the step from the checkout above, with
# a fresh directory for the "host"; its status, stderr and call log stay in
# $tmp/<n>
n=0
step() {
	n=$((n + 1))
	d=$tmp/$n
	mkdir -p "$d/remote" "$d/state"
	printf 'name = "debian"\nmemory = 512\ndma32_quota = 4\n' >"$d/debian.cfg"
	perl_here "$L" STUB_DIR="$d" STUB_LOG="$d/log" STUB_RUNVARS="xen_ttm_dma32_checks=$O $1" \
		XEN_TTM_STATE="$d/state" PATH="$O/stub/bin:$PATH" "${@:2}" \
		./ts-xen-ttm-dma32 host debian >"$d/out" 2>&1
	echo $? >"$d/rc"
}

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=4096
check_eq "a good guest: the step passes" 0 "$(cat "$d/rc")"
check_eq "the runvar's 16 (MiB) is in the config, once, the old value gone" \
	'dma32_quota = "16384k"|name = "debian"|memory = 512' "$(grep -v '^$' "$d/debian.cfg" | paste -sd'|')"
check_eq "the checks and the test bed's lib.sh are copied to the host" \
	"put $O/../system/lib.sh|put $O/dma32-host-checks" "$(grep '^put' "$d/log" | paste -sd'|')"
check_eq "basis, start, checks, stop, leak check, in that order" \
	"basis|create|guest debian 16384 started|shutdown|leak after-stop" \
	"$(sed -n 's,^output .*/dma32-host-checks \([^2]*\) 2>&1.*,\1,p; s/^\(create\|shutdown\) .*/\1/p' "$d/log" | sed 's/ $//' | paste -sd'|')"
check "every check of the test bed passed (quota, xenstore, use, audit, leak)" \
	sh -c "! grep -q XTEST-FAIL '$d/log' && [ \$(grep -c XTEST-PASS '$d/log') -eq 12 ]"

step "debian_dma32_quota=2g" FAKE_QUOTA=2097152 FAKE_USED=0
check_eq "a quota in GiB (2g) is 2097152 kB" 0 "$(cat "$d/rc")"

step "" FAKE_QUOTA=16384 FAKE_USED=100
check_eq "no runvar: 16 MiB" 'dma32_quota = "16384k"' "$(head -n 1 "$d/debian.cfg")"

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=20000
check_eq "use above the quota fails the step" 1 "$(cat "$d/rc")"
check "... naming the check" grep -q "FAIL: .*check(s) failed: started: debian's use (20000 kB) within the quota" "$d/out"

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=100 FAKE_XENTOP_USED=200
check "xentop disagreeing with xl list -l fails the step" grep -q "xentop shows debian's use and quota" "$d/out"

step "debian_dma32_quota=16" FAKE_QUOTA=16384 FAKE_USED=100 FAKE_XS_QUOTA=8192
check_eq "a quota missing from the guest's xenstore area fails the step" 1 "$(cat "$d/rc")"

step "debian_dma32_quota=96 debian_dma32_pci=host" FAKE_QUOTA=98304 FAKE_USED=70000 STUB_HOST_GPU=0000:00:03.0
check_eq "a GPU from the host's property: passes" 0 "$(cat "$d/rc")"
check_eq "... made assignable first" "cmd xl pci-assignable-add 0000:00:03.0" "$(grep -m1 '^cmd xl' "$d/log")"
check_eq "... and passed through with the quota" 'pci = [ "0000:00:03.0" ]|dma32_quota = "98304k"' \
	"$(head -n 2 "$d/debian.cfg" | paste -sd'|')"
step "debian_dma32_pci=00:03" FAKE_QUOTA=16384 FAKE_USED=0
check "a PCI address that is none is refused" grep -q "debian_dma32_pci: '00:03' is not a PCI address" "$d/out"

step "debian_dma32_quota=lots" FAKE_QUOTA=1 FAKE_USED=0
check "a runvar that is no size is refused before anything runs" \
	sh -c "[ \$(cat '$d/rc') != 0 ] && grep -q \"debian_dma32_quota: 'lots' is not a size\" '$d/out' && ! grep -q '^create' '$d/log'"
step "debian_dma32_quota=0" FAKE_QUOTA=1 FAKE_USED=0
check "a runvar of 0 (no quota) is refused" grep -q "0 means no quota" "$d/out"

# A domain left behind after the guest stopped fails the leak check
d=$tmp/leak; mkdir -p "$d/remote" "$d/state"
cp "$O/dma32-host-checks" "$TOP/tests/system/lib.sh" "$d/remote/"
export STUB_DIR=$d XEN_TTM_STATE=$d/state PATH="$O/stub/bin:$PATH" FAKE_QUOTA=16384 FAKE_USED=1
touch "$d/up"
check "dma32-host-checks basis" "$d/remote/dma32-host-checks" basis
rm -f "$d/up"; touch "$d/leftover"
out=$("$d/remote/dma32-host-checks" leak after-stop 2>&1)
check_eq "a leftover domain fails the leak check" 1 "$?"
check "... naming the domains" grep -q "XTEST-FAIL: nothing left behind after-stop: domains" <<<"$out"
check_eq "bad arguments: exit 2" 2 "$("$d/remote/dma32-host-checks" guest debian lots x >/dev/null 2>&1; echo $?)"

# The osstest patch: its make-flight function is shell, its recipes Tcl
P=$O/osstest-jobs.patch
sed -n '/^diff --git a\/make-flight/,/^diff --git a\/sg-run-job/p' "$P" | sed -n 's/^+\([^+]\|$\)/\1/p' >"$tmp/make-flight.add"
check "osstest-jobs.patch: the make-flight function parses (bash -n)" bash -n "$tmp/make-flight.add"
check_eq "osstest-jobs.patch: make-flight calls do_xen_ttm_dma32_tests" 2 "$(grep -c do_xen_ttm_dma32_tests "$tmp/make-flight.add")"
sed -n '/^diff --git a\/sg-run-job/,$p' "$P" | sed -n 's/^+\([^+]\|$\)/\1/p' >"$tmp/sg-run-job.add"
if command -v tclsh >/dev/null; then
	check_eq "osstest-jobs.patch: the sg-run-job recipes are complete Tcl" 1 \
		"$(echo "set f [open $tmp/sg-run-job.add]; puts [info complete [read \$f]]" | tclsh)"
else
	echo "SKIP: unit/$SUITE: sg-run-job recipes: no tclsh here"
fi
check_eq "osstest-jobs.patch: both recipes run ts-xen-ttm-dma32" 2 "$(grep -c 'run-ts . = ts-xen-ttm-dma32 + host debian' "$tmp/sg-run-job.add")"

# Every hunk has context on both sides: GNU patch and git apply take a hunk
# without trailing context only at the end of the file, and GNU patch one
# with more context on one side only with fuzz
check_eq "osstest-jobs.patch: every hunk has context before and after its changes (hunks without: none)" "" \
	"$(awk '/^@@ / { split($2, o, ","); split($3, n, ","); ol = o[2]; nl = n[2]; h = $0; first = ""; next }
		(ol > 0 || nl > 0) { t = substr($0, 1, 1); if (first == "") first = t; last = t
			if (t != "+") ol--; if (t != "-") nl--
			if (ol == 0 && nl == 0 && (first != " " || last != " ")) print h }' "$P")"

# The patch applied to osstest's make-flight and sg-run-job: excerpts of
# osstest of 2015 and 2021 (tests/osstest/excerpts/README), and a copy of
# $OSSTEST_DIR
X=$O/excerpts
git_() {
	git -c user.name=xen-ttm-unit -c user.email=unit@invalid -c core.hooksPath=/dev/null \
		-c commit.gpgsign=false -c init.defaultBranch=main "$@"
}
# procs <sg-run-job>: its procs in order; funcs <make-flight>: its
# functions in order; matrix_calls <make-flight>: the do_* calls at the top
# of test_matrix_do_one, in order
procs() { awk '$1 == "proc" { print $2 }' "$1"; }
funcs() { sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\) () {$/\1/p' "$1"; }
matrix_calls() {
	awk '/^test_matrix_do_one \(\) \{$/ { f = 1; next } f && /^}$/ { exit }
		f && /^  do_[a-z0-9_]+$/ { print $1 }' "$1"
}
NEW_PROCS="need-hosts/test-debian-xen-ttm-dma32 run-job/test-debian-xen-ttm-dma32"
NEW_PROCS="$NEW_PROCS need-hosts/test-debian-nomigr-xen-ttm-dma32 run-job/test-debian-nomigr-xen-ttm-dma32"
# after <line> <new lines...>: stdin with the new lines after <line>;
# before: the same, before it
after() { awk -v a="$1" -v n="${*:2}" '{ print } $0 == a { gsub(/ /, "\n", n); print n }'; }
before() { awk -v a="$1" -v n="${*:2}" '$0 == a { gsub(/ /, "\n", n); print n } { print }'; }

# The recipes' Tcl, run with everything else stubbed: what each runs.
# "real" instead: all procs of the file, only spawn-ts and reap-ts
# stubbed, and the step names each recipe gives (a job's must be unique).
cat >"$tmp/recipes.tcl" <<'EOF'
lassign $argv file mode
set f [open $file]
set cmd {}
foreach line [split [read $f] \n] {
    append cmd $line \n
    if {![info complete $cmd]} continue
    if {[regexp {^\s*proc\s+(\S+)} $cmd -> name]} {
        if {$mode eq "real" || [string match *xen-ttm-dma32 $name]} { eval $cmd }
    }
    set cmd {}
}
close $f
proc unknown {args} { lappend ::calls $args; return 1 }
proc spawn-ts {iffail testid args} {
    set ids {}; set on 1
    foreach a $args {
        if {$a eq "+"} { set on [expr {!$on}] } elseif {$on} { lappend ids $a }
    }
    regsub {^ts-} [lindex $ids 0] {} name
    set hosts {}
    foreach h [lrange $ids 1 end] { append hosts /$h }
    if {[string match =* $testid]} { set testid $name$hosts[string range $testid 1 end] }
    lappend ::calls $testid
    return x
}
proc reap-ts {reap} { return 1 }
foreach r {test-debian-xen-ttm-dma32 test-debian-nomigr-xen-ttm-dma32} {
    set ::calls {}
    run-job/$r
    puts "$r: [join $::calls |]"
}
EOF

# applied_by_patch <dir>: GNU patch, no fuzz, took every hunk, left nothing
# behind; git_apply <dir>, git_am <dir>: the same with git
applied_by_patch() {
	local out
	out=$(cd "$1" && patch -p1 --fuzz=0 --no-backup-if-mismatch <"$P" 2>&1) || { echo "$out"; return 1; }
	! grep -iE "fuzz|FAILED|reject" <<<"$out" && [ "$(ls "$1")" = "$(printf 'make-flight\nsg-run-job')" ]
}
git_apply() { (cd "$1" && git_ init -q && git_ apply --check "$P" && git_ apply "$P" && rm -rf .git); }
same_files() { diff -r "$1/patch" "$1/git-apply" && diff -r "$1/patch" "$1/git-am"; }
git_am() { (cd "$1" && git_ init -q && git_ add . && git_ commit -qm base && git_ am -q "$P" && rm -rf .git); }

# apply_all <id> <name> <dir>: osstest-jobs.patch applied to copies of
# <dir>/make-flight and <dir>/sg-run-job with each tool; the result checked
apply_all() {
	local name=$2 src=$3 a=$tmp/apply-$1 t
	for t in patch git-apply git-am; do
		mkdir -p "$a/$t"
		cp "$src/make-flight" "$src/sg-run-job" "$a/$t/"
		chmod 755 "$a/$t/make-flight" "$a/$t/sg-run-job"
	done
	check_eq "$name: another recipe follows run-job/test-debian" 1 \
		"$(procs "$src/sg-run-job" | grep -A1 -x run-job/test-debian | grep -vxc run-job/test-debian)"
	check_eq "$name: another function follows do_pv_debian_test_one" 1 \
		"$(funcs "$src/make-flight" | grep -A1 -x do_pv_debian_test_one | grep -vxc do_pv_debian_test_one)"
	check_eq "$name: the hunks' anchors are there once each" "1 1 1" \
		"$(grep -cx 'do_pv_debian_test_one () {' "$src/make-flight") $(grep -cx '  do_pygrub_tests' "$src/make-flight") $(grep -cx 'proc install-guest-debian-di {} {' "$src/sg-run-job")"
	check "$name: patch -p1 --fuzz=0 applies every hunk" applied_by_patch "$a/patch"
	check "$name: git apply --check, git apply" git_apply "$a/git-apply"
	check "$name: git am (the files committed first)" git_am "$a/git-am"
	check "$name: patch, git apply and git am give the same files" \
		same_files "$a"

	local mf=$a/patch/make-flight sg=$a/patch/sg-run-job
	check "$name: make-flight patched is shell (bash -n)" bash -n "$mf"
	check_eq "$name: do_xen_ttm_dma32_tests defined once, right before do_pv_debian_test_one" \
		"$(funcs "$src/make-flight" | before do_pv_debian_test_one do_xen_ttm_dma32_tests)" "$(funcs "$mf")"
	check_eq "$name: test_matrix_do_one calls it once, right before do_pygrub_tests" \
		"$(matrix_calls "$src/make-flight" | before do_pygrub_tests do_xen_ttm_dma32_tests)" "$(matrix_calls "$mf")"
	check_eq "$name: ... after #do_passthrough_tests and a blank line" \
		"  #do_passthrough_tests||  do_xen_ttm_dma32_tests||  do_pygrub_tests" \
		"$(grep -B2 -A2 -x '  do_xen_ttm_dma32_tests' "$mf" | paste -sd'|')"
	check_eq "$name: the new recipes come right after run-job/test-debian, before the recipe that followed it" \
		"$(procs "$src/sg-run-job" | after run-job/test-debian "$NEW_PROCS")" "$(procs "$sg")"
	if command -v tclsh >/dev/null; then
		check_eq "$name: sg-run-job patched is complete Tcl" 1 \
			"$(echo "set f [open {$sg}]; puts [info complete [read \$f]]" | tclsh)"
		check_eq "$name: what the recipes run (everything else stubbed)" \
			"test-debian-xen-ttm-dma32: install-guest-debian|run-ts . = ts-xen-ttm-dma32 + host debian|run-ts . =.dma32 ts-guest-start + host debian|test-guest debian
test-debian-nomigr-xen-ttm-dma32: install-guest-debian|run-ts . = ts-xen-ttm-dma32 + host debian|run-ts . =.dma32 ts-guest-start + host debian|test-guest-nomigr debian" \
			"$(tclsh "$tmp/recipes.tcl" "$sg" stub 2>&1)"
	fi
}
apply_all 2015 "osstest 2015 excerpt" "$X/2015"
apply_all 2021 "osstest 2021 excerpt" "$X/2021"

# The function make-flight gets, run: two jobs on amd64, none elsewhere,
# each with a recipe sg-run-job has
sed -n '/^do_xen_ttm_dma32_tests () {$/,/^}$/p' "$tmp/apply-2021/patch/make-flight" >"$tmp/jobs.sh"
jobs_for() {
	bash -c '. "$1"; job_create_test() { echo "$*"; }
		xenarch=$2 dom0arch=$3 kern=$4 most_hostflags=F debian_runvars=R do_xen_ttm_dma32_tests' \
		x "$tmp/jobs.sh" "$@"
}
check_eq "make-flight: amd64: the two jobs, their recipes, runvars and host flags" \
	"test-amd64-amd64-xl-ttm-dma32 test-debian-xen-ttm-dma32 xl amd64 amd64 R debian_dma32_quota=64 all_hostflags=F|test-amd64-amd64-xl-ttm-dma32-gpu test-debian-nomigr-xen-ttm-dma32 xl amd64 amd64 R debian_dma32_quota=96 debian_dma32_pci=host xen_boot_append=iommu=1 all_hostflags=F,gpu-dma32,iommu" \
	"$(jobs_for amd64 amd64 '' | paste -sd'|')"
check_eq "make-flight: no job with an i386 dom0, an i386 Xen or another kernel" "" \
	"$(jobs_for amd64 i386 ''; jobs_for i386 i386 ''; jobs_for amd64 amd64 -pvops)"
check_eq "make-flight: the recipes the jobs name are sg-run-job's new ones" \
	"run-job/test-debian-nomigr-xen-ttm-dma32 run-job/test-debian-xen-ttm-dma32" \
	"$(jobs_for amd64 amd64 '' | awk '{ print "run-job/" $2 }' | grep -xF -f - <(procs "$tmp/apply-2021/patch/sg-run-job") | sort | paste -sd' ')"

if [ -n "${OSSTEST_DIR:-}" ] && [ -f "$OSSTEST_DIR/make-flight" ] && [ -f "$OSSTEST_DIR/sg-run-job" ]; then
	if grep -q do_xen_ttm_dma32_tests "$OSSTEST_DIR/make-flight"; then
		echo "SKIP: unit/$SUITE: $OSSTEST_DIR has osstest-jobs.patch applied already: give an unpatched checkout"
	else
		apply_all checkout "osstest $OSSTEST_DIR" "$OSSTEST_DIR"
		if command -v tclsh >/dev/null; then
			out=$(tclsh "$tmp/recipes.tcl" "$tmp/apply-checkout/patch/sg-run-job" real 2>&1)
			check_eq "osstest $OSSTEST_DIR: the new recipes run with osstest's own procs (spawn-ts stubbed)" 2 \
				"$(grep -c '^test-debian.*xen-ttm-dma32: .*|xen-ttm-dma32|guest-start.dma32|' <<<"$out")"
			check_eq "... every step name once per job (guest-start, guest-start.2 taken)" "" \
				"$(while read -r r ids; do tr '|' '\n' <<<"$ids" | sort | uniq -d | sed "s,^,$r ,"; done <<<"$out")"
		fi
	fi
fi
