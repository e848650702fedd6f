# Every patch of linux-patches/ is clean under the kernel's own
# scripts/checkpatch.pl --strict (needs the prepared tree build/linux).
# The base tree is Debian's tarball with no upstream history, so checkpatch
# cannot look up the commits that Fixes: tags and changelogs cite
# (UNKNOWN_COMMIT_ID); their ids and subjects are upstream's own citations.
# checkpatch asks about MAINTAINERS for every added file without looking at
# the existing patterns; instead, every added file must have a maintainer
# according to scripts/get_maintainer.pl.
. "$(dirname "$0")/lib.sh"
cp=$TOP/build/linux/scripts/checkpatch.pl
series=$TOP/linux-patches
patches=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$series/series")
[ -n "$patches" ] || exit 0
if [ ! -x "$cp" ]; then
	echo "SKIP: unit/$SUITE: checkpatch: build/linux is not prepared (make prepare; make test always prepares it)"
	exit 0
fi
for p in $patches; do
	out=$(cd "$TOP/build/linux" && ./scripts/checkpatch.pl --strict --no-tree -q \
		--ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID "$series/$p" 2>&1)
	if [ -z "$out" ]; then
		pass "checkpatch --strict $p"
	else
		fail "checkpatch --strict $p" "$(echo "$out" | head -n 4 | tr '\n' ' ')"
	fi
	for f in $(sed -n 's|^+++ b/||p' "$series/$p"); do
		grep -q "^new file mode" <(sed -n "\|^diff --git a/$f b/$f|,/^+++ /p" "$series/$p") || continue
		if (cd "$TOP/build/linux" && ./scripts/get_maintainer.pl --no-git -f "$f" 2>/dev/null |
			grep -v 'THE REST' | grep -Eq '\((maintainer|supporter):'); then
			pass "$p: $f has a maintainer"
		else
			fail "$p: $f has a maintainer" "no MAINTAINERS entry covers it"
		fi
	done
done
