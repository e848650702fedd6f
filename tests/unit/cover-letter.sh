# linux-patches/0000-cover-letter.patch, written by hand, says what the
# series is: its subject counts the patches, its shortlog names each
# patch's subject in the series' order, its diffstat is the series' (from
# build/linux when prepared), and the patch numbers its text gives exist.
# make export keeps it; the series file does not list it (git am would
# refuse it).
. "$(dirname "$0")/lib.sh"
dir=$TOP/linux-patches
cl=$dir/0000-cover-letter.patch
names=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$dir/series")
n=$(echo "$names" | wc -l)

check "the cover letter exists" test -f "$cl"
check "the series file does not list it" sh -c "! grep -q 0000-cover-letter '$dir/series'"
check_eq "its subject counts the series' patches" "$(printf '[PATCH 00/%02d]' "$n")" \
	"$(sed -n 's/^Subject: \(\[PATCH 00\/[0-9]*\]\).*/\1/p' "$cl")"

# Each patch's subject as format-patch wrote it (folded lines joined)
subjects=$(for p in $names; do
	sed -n '/^Subject: /,/^$/p' "$dir/$p" | sed -e '$d' | tr -d '\n' |
		sed -e 's/^Subject: \[PATCH\] //' -e 's/  */ /g'
	echo
done)
shortlog=$(sed -n 's/^      \(.*\)$/\1/p' "$cl")
check_eq "its shortlog is the series' subjects, in order" "$subjects" "$shortlog"

# The diffstat's totals: the whole series' change to the base, read from
# the prepared tree when it holds the series
if [ -d "$TOP/build/linux/.git" ] && "$TOP/scripts/series.sh" check linux >/dev/null 2>&1; then
	check_eq "its diffstat is the series' change to the base" \
		"$(git -C "$TOP/build/linux" diff --shortstat base HEAD | sed 's/^ *//')" \
		"$(grep -E '^ [0-9]+ files? changed' "$cl" | sed 's/^ *//')"
else
	echo "SKIP: unit/$SUITE: its diffstat: build/linux is not prepared with the series"
fi

# Every patch number the text names is one of the series
bad=$(grep -oE '\b00[0-9]{2}\b' "$cl" | sort -u | while read -r num; do
	[ "$num" = 0000 ] && continue
	echo "$names" | grep -q "^$num-" || echo "$num"
done)
check_eq "every patch number it names is in the series" "" "$bad"
