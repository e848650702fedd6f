# make deb's pieces that need no build: the series' version (sorts after the
# distribution's, changes with the series), and lintian's gate (a tag not
# explained in config/lintian-explained fails, an explained one does not).
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A series outside git: its newest file dates it
mkdir -p "$tmp/top"
cp -r "$TOP/scripts" "$tmp/top/"
for d in linux-patches xen-hooks libxl-config; do
	mkdir -p "$tmp/top/$d"
	echo "patch of $d" >"$tmp/top/$d/0001-a.patch"
	touch -d '2026-11-30 12:00 UTC' "$tmp/top/$d/0001-a.patch"
done
v1=$(cd "$tmp/top" && TOP=$tmp/top bash -c '. scripts/lib.sh; series_version')
check "the series version is <date>.<hash> ($v1)" grep -qE '^20261130\.[0-9a-f]{8}$' <<<"$v1"
check "it sorts after the distribution's version" \
	dpkg --compare-versions "4.20.3+127-gc42374a105-0+deb13u1+xenttm$v1" gt 4.20.3+127-gc42374a105-0+deb13u1
check "and after the distribution's kernel" dpkg --compare-versions "6.12.117-1+xenttm$v1" gt 6.12.117-1
echo "changed" >>"$tmp/top/xen-hooks/0001-a.patch"
touch -d '2026-12-01 08:00 UTC' "$tmp/top/xen-hooks/0001-a.patch"
v2=$(cd "$tmp/top" && TOP=$tmp/top bash -c '. scripts/lib.sh; series_version')
check "a changed patch gives a newer version ($v1 -> $v2)" dpkg --compare-versions "$v2" gt "$v1"
check "and a different hash" test "${v1#*.}" != "${v2#*.}"

# lintian's gate, with a fake lintian and an empty build directory
mkdir -p "$tmp/bin" "$tmp/build/deb"
echo 'XEN_VERSION=4.20.3-0' >"$tmp/build/sources.env"
cat >"$tmp/bin/lintian" <<'LINTIAN'
#!/bin/sh
cat "$FAKE_LINTIAN_OUT"
LINTIAN
chmod +x "$tmp/bin/lintian"
gate() { PATH=$tmp/bin:$PATH BUILD=$tmp/build FAKE_LINTIAN_OUT=$tmp/lintian.out \
	"$TOP/scripts/mk-deb.sh" lintian >"$tmp/gate.out" 2>&1; }
echo "W: xen-utils-4.20-xenttm: a-tag-nobody-explained usr/bin/x" >"$tmp/lintian.out"
if gate; then
	fail "an unexplained lintian warning fails make deb" "$(cat "$tmp/gate.out")"
else
	check "an unexplained lintian warning fails make deb, naming the tag" \
		grep -q 'a-tag-nobody-explained' "$tmp/gate.out"
fi
explained=$(grep -v '^#' "$TOP/config/lintian-explained" | awk 'NF >= 2 {print $1, $2; exit}')
if [ -n "$explained" ]; then
	read -r pkg tag <<<"$explained"
	case $pkg in *'*'*) pkg=${pkg%%\**}x ;; esac
	echo "W: $pkg: $tag some detail" >"$tmp/lintian.out"
	check "an explained tag ($tag on $pkg) passes" gate
else
	pass "no lintian tag needs an explanation"
fi
: >"$tmp/lintian.out"
check "a clean report passes" gate
