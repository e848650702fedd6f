# OSSTest's guest lifecycle with a DMA32 quota: a PV guest with
# dma32_quota = 16 holds 8 MiB of TTM buffers of a 32-bit device
# (ttm_workload through xen-swiotlb, booted with iommu=soft) and goes
# through xl save / xl restore (refused first, with the admission message,
# while another guest's quota leaves too little below 4 GiB), a local xl
# migrate (ts-guest-localmigrate, with a transport command that runs the
# receiver here instead of ssh), xl reboot and xl shutdown.  After each
# step the quota is in force again (xl list -l, the guest's xenstore key,
# xentop), the guest's use stays within it, the held buffers keep their
# contents, and new buffers are below the limit of a new device.  Restore
# and migration give the guest frames wherever Xen has them (PV
# save/restore keeps contents, not machine placement; xl refuses to save a
# guest with a passed-through device): the held buffers' frames above
# 4 GiB are reported, not failed, and freeing them must not upset the
# guest's kernel.  A leak check (leak_check) whenever the guest is gone:
# while it is saved, and after it is shut down.
# timeout: 310
# group: guests
. ../lib.sh

quota_mib=16
quota_kb=$((quota_mib * 1024))
leak_baseline

# after <step>: the quota, the guest's use and its held buffers after a step
after() {
	dom=$(xl domid w1)
	check_quota_held w1 "$quota_kb" "$1"
	check_eq "$1: the guest reads its quota" "$quota_kb" "$(agent $dom quota)"
	used=$(dma32_kb w1 used)
	r=$(agent $dom held)
	echo "$1: held buffers: $r"
	check_eq "$1: every held buffer used again, none failed or lost its contents (populated failed corrupt)" \
		"$2 0 0" "$(field populated "$r") $(field failed "$r") $(field corrupt "$r")"
	report_text "$1: quota $quota_kb kB, use $used kB, held buffers' pages above 4 GiB $(field above "$r"), free below 4 GiB $(xl_info_field dma32_free_memory) MiB, free $(xl_info_field free_memory) MiB"
}

# fresh <step>: the held buffers and their device go (freeing regions a
# restore scattered), and a new device's buffers are below its limit: a
# device attached after a restore starts with a pool of its own
fresh() {
	check_eq "$1: held buffers dropped" dropped "$(agent $dom drop)"
	check_eq "$1: their device removed" unloaded "$(agent $dom unload-workload)"
	r=$(agent $dom hold 8 1024 wb=1)
	echo "$1: new buffers: $r"
	check_eq "$1: 8 new buffers of 1 MiB, below the 32-bit limit (populated failed above corrupt)" \
		"8 0 0 0" "$(field populated "$r") $(field failed "$r") $(field above "$r") $(field corrupt "$r")"
}

GUEST_EXTRA="iommu=soft swiotlb=512" guest_cfg w1 256 "dma32_quota = $quota_mib"
check "xl create w1 with dma32_quota=$quota_mib" xl_create /tmp/w1.cfg
dom=$(xl domid w1)
r=$(agent $dom hold 8 1024 wb=1)
check_eq "8 buffers of 1 MiB held, below the 32-bit limit (populated failed above)" \
	"8 0 0" "$(field populated "$r") $(field failed "$r") $(field above "$r")"
used_start=$(dma32_kb w1 used)
report_text "created: quota $quota_kb kB, use $used_start kB, free below 4 GiB $(xl_info_field dma32_free_memory) MiB"

# xl save / xl restore (ts-guest-saverestore)
# (the image where OSSTest keeps it, outside the toolstack's directories)
check "xl save w1" xl save w1 /tmp/w1.save
check "w1 is gone while saved" sh -c "! xl domid w1"
leak_check "while saved"
# Admission again on restore: with what is free below 4 GiB promised to
# another guest's quota but 8 MiB, w1's 16 MiB cannot be met
avail=$(($(xl_info_field dma32_free_memory) - $(promised_mib)))
guest_cfg hog 64 "dma32_quota = $((avail - 8))"
check "a guest whose quota takes all but 8 MiB of what is free below 4 GiB ($((avail - 8)) MiB)" xl_create /tmp/hog.cfg
out=$(xl restore /tmp/w1.save 2>&1)
rc=$?
check "xl restore w1 is refused while its quota cannot be met" test "$rc" != 0
check "... saying what is free and what is promised" sh -c "echo \"\$1\" | grep -q 'dma32_quota=${quota_kb}kB cannot be met: [0-9]*kB of memory below 4GiB is free and [0-9]*kB of it is promised'" - "$out"
check "... and leaves no w1 behind" sh -c "! xl domid w1"
check "xl destroy hog" xl_destroy hog
check "xl restore w1" xl restore /tmp/w1.save
rm -f /tmp/w1.save
after "restore" 16
fresh "restore"

# xl migrate to this host (ts-guest-localmigrate)
printf '#!/bin/sh\n# the "ssh" of a local migration: run the receiver here\nshift\nexec "$@"\n' >/tmp/local-transport
chmod +x /tmp/local-transport
low_before=$(xl_info_field dma32_free_memory) used_before=$(dma32_kb w1 used)
out=$(xl migrate -s /tmp/local-transport w1 localhost 2>&1)
rc=$?
echo "$out" | tail -n 40
check "xl migrate w1 localhost (local transport)" test $rc = 0
check_eq "one w1 after migration, no leftover of the source" w1 "$(xl list | awk 'NR > 1 && $1 ~ /^w1/ { print $1 }' | tr '\n' ' ' | sed 's/ $//')"
after "migrate" 16
used_after=$(dma32_kb w1 used) low_after=$(xl_info_field dma32_free_memory)
# The source's low frames went back: free below 4 GiB moved by the change
# in use, to the MiB xl info rounds to
delta=$(( (low_after - low_before) * 1024 + used_after - used_before ))
check "migrate: the source domain's frames below 4 GiB were returned (free + use moved ${delta} kB)" \
	test "$delta" -ge -1024 -a "$delta" -le 1024
fresh "migrate"
check_guest_kernel w1

# xl reboot (ts-guest-reboot): the same configuration, a new domain
old=$dom
check "xl reboot w1" xl reboot w1
check "w1 comes back as a new domain" wait_for 120 sh -c "d=\$(xl domid w1) && [ \"\$d\" != $old ] && xenstore-read /local/domain/\$d/data/agent/answer"
dom=$(xl domid w1)
check_quota_held w1 "$quota_kb" "reboot"
check_eq "reboot: the guest reads its quota" "$quota_kb" "$(agent $dom quota)"
r=$(agent $dom hold 8 1024 wb=1)
check_eq "reboot: 8 new buffers of 1 MiB, below the 32-bit limit (populated failed above)" \
	"8 0 0" "$(field populated "$r") $(field failed "$r") $(field above "$r")"
check_quota_held w1 "$quota_kb" "reboot, with buffers"
report_text "reboot: quota $quota_kb kB, use $(dma32_kb w1 used) kB with 8 MiB of buffers, free below 4 GiB $(xl_info_field dma32_free_memory) MiB, free $(xl_info_field free_memory) MiB"
check_guest_kernel w1

# xl shutdown (ts-guest-stop)
check "xl shutdown -w w1" xl shutdown -w w1
check "w1 is gone after shutdown" sh -c "! xl domid w1"
leak_check "after shutdown"
