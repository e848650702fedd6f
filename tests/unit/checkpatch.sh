# Every patch of linux-patches/ is clean under the kernel's own
# scripts/checkpatch.pl --strict (needs the prepared tree build/linux).
. "$(dirname "$0")/lib.sh"
cp=$TOP/build/linux/scripts/checkpatch.pl
series=$TOP/linux-patches
patches=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$series/series")
[ -n "$patches" ] || exit 0
if [ ! -x "$cp" ]; then
	fail "checkpatch" "build/linux is not prepared (make prepare)"
	exit 0
fi
for p in $patches; do
	out=$(cd "$TOP/build/linux" && ./scripts/checkpatch.pl --strict --no-tree -q "$series/$p" 2>&1)
	if [ -z "$out" ]; then
		pass "checkpatch --strict $p"
	else
		fail "checkpatch --strict $p" "$(echo "$out" | head -n 4 | tr '\n' ' ')"
	fi
done
