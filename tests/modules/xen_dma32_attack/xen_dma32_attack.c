// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for a Xen PV guest: a hostile guest's attempts to hold more
 * machine frames below 4GiB than its DMA32 quota.  It takes raw frames from
 * Xen (XENMEM_increase_reservation, XENMEM_populate_physmap, XENMEM_exchange)
 * without mapping them, as any guest kernel can, with every address width
 * and extent order, from all vCPUs at once.  dom0 reads the hypervisor's
 * count meanwhile; this module counts what Xen handed over.
 *
 * debugfs, under xen_dma32_attack/:
 *   run     write "exhaust": take unrestricted frames (address_bits 0 and
 *           33, 2MiB then 4KiB extents) until Xen refuses, so that memory
 *           above 4GiB is used up
 *           write "race <seconds>": one thread per vCPU; even ones exchange
 *           (low for low, high for low, low for any), odd ones populate or
 *           increase the reservation with address_bits 0, 31, 32 or 33 and
 *           4KiB or 2MiB extents, giving frames back now and then
 *           write "grab": 4KiB extents below 4GiB until Xen refuses
 *           write "take <frames>": at most that many frames below 4GiB
 *           (2MiB extents, then 4KiB ones), until Xen refuses
 *           write "squat <seconds>": at the quota, one thread per vCPU
 *           asks over and over for frames below 4GiB in whole 2MiB chunks:
 *           an exchange of a 2MiB extent above 4GiB for 512 4KiB frames
 *           below, and a 2MiB populate below (granted= counts what Xen gave)
 *           write "release": give every frame back
 *   status  read: frames held below 4GiB (low=) and above (high=), the most
 *           below 4GiB held at once (peak_low=), frames Xen handed over that
 *           break the address width asked for (bad=), attempts and grants
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <asm/xen/hypercall.h>
#include <xen/interface/memory.h>
#include <xen/xen.h>
#include "../include/xtest_cmd.h"

#define DMA32_LIMIT_MFN (1UL << (32 - PAGE_SHIFT))
#define HUGE_ORDER 9
/*
 * A pseudo-physical frame no p2m entry of ours uses: the m2p entries of
 * populated frames point there.
 */
#define FAR_GPFN 0x3fffff000UL

static unsigned long max_extents = 65536;
module_param(max_extents, ulong, 0444);
MODULE_PARM_DESC(max_extents, "Most extents held at once");

struct extent {
	xen_pfn_t mfn;
	unsigned int order;
};

static struct extent *held;
static unsigned long nr_held, low_pages, high_pages, peak_low, bad;
static DEFINE_SPINLOCK(held_lock);
static DEFINE_MUTEX(run_lock);
static atomic64_t attempts, granted;
static struct dentry *attack_dir;

/* Frames below 4GiB in an extent */
static unsigned long extent_low(xen_pfn_t mfn, unsigned int order)
{
	unsigned long end = mfn + (1UL << order);

	if (mfn >= DMA32_LIMIT_MFN)
		return 0;
	return min(end, DMA32_LIMIT_MFN) - mfn;
}

/* Record an extent Xen gave us, asked for with @bits */
static bool hold(xen_pfn_t mfn, unsigned int order, unsigned int bits)
{
	unsigned long low = extent_low(mfn, order);
	bool ok;

	spin_lock(&held_lock);
	ok = nr_held < max_extents;
	if (ok) {
		held[nr_held++] = (struct extent){ mfn, order };
		low_pages += low;
		high_pages += (1UL << order) - low;
		peak_low = max(peak_low, low_pages);
		if (bits && bits <= 32 &&
		    mfn + (1UL << order) > (1UL << (bits - PAGE_SHIFT)))
			bad++;
	}
	spin_unlock(&held_lock);
	return ok;
}

/* Take a held extent (the last one, or a random one) off the list */
static bool unhold(struct extent *e, bool random)
{
	unsigned long i, low;

	spin_lock(&held_lock);
	if (!nr_held) {
		spin_unlock(&held_lock);
		return false;
	}
	i = random ? get_random_u32_below(nr_held) : nr_held - 1;
	*e = held[i];
	held[i] = held[--nr_held];
	low = extent_low(e->mfn, e->order);
	low_pages -= low;
	high_pages -= (1UL << e->order) - low;
	spin_unlock(&held_lock);
	return true;
}

/* Give an extent back to Xen */
static void give_back(const struct extent *e)
{
	xen_pfn_t frame = e->mfn;
	struct xen_memory_reservation r = {
		.nr_extents = 1,
		.extent_order = e->order,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, &frame);
	if (HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r) != 1)
		pr_err("xen_dma32_attack: cannot give back mfn %#llx order %u\n",
		       (unsigned long long)e->mfn, e->order);
}

/* Hold an extent Xen gave us, or give it back when the list is full */
static bool keep(xen_pfn_t mfn, unsigned int order, unsigned int bits)
{
	struct extent e = { mfn, order };

	if (hold(mfn, order, bits))
		return true;
	give_back(&e);
	return false;
}

/* One extent from Xen by @op (increase_reservation or populate_physmap) */
static int take_extent(unsigned int op, unsigned int order, unsigned int bits)
{
	xen_pfn_t frame = FAR_GPFN;
	struct xen_memory_reservation r = {
		.nr_extents = 1,
		.extent_order = order,
		.address_bits = bits,
		.domid = DOMID_SELF,
	};
	int rc;

	set_xen_guest_handle(r.extent_start, &frame);
	atomic64_inc(&attempts);
	rc = HYPERVISOR_memory_op(op, &r);
	if (rc != 1)
		return rc < 0 ? rc : -ENOMEM;
	atomic64_inc(&granted);
	return keep(frame, order, bits) ? 0 : -ENOSPC;
}

/* Exchange a held 4KiB frame for one with @bits; keep whichever we own */
static void exchange_one(unsigned int bits)
{
	struct extent e;
	xen_pfn_t in, out = FAR_GPFN;
	struct xen_memory_exchange exch = {
		.in = { .nr_extents = 1, .domid = DOMID_SELF },
		.out = { .nr_extents = 1, .address_bits = bits,
			 .domid = DOMID_SELF },
	};

	if (!unhold(&e, true))
		return;
	if (e.order) {	/* only 4KiB frames are exchanged here */
		keep(e.mfn, e.order, 0);
		return;
	}
	in = e.mfn;
	set_xen_guest_handle(exch.in.extent_start, &in);
	set_xen_guest_handle(exch.out.extent_start, &out);
	atomic64_inc(&attempts);
	if (!HYPERVISOR_memory_op(XENMEM_exchange, &exch) &&
	    exch.nr_exchanged == 1) {
		atomic64_inc(&granted);
		keep(out, 0, bits);
	} else {
		keep(in, 0, 0);
	}
}

/* Take extents with @order and @bits until Xen refuses */
static unsigned long take_until_refused(unsigned int order, unsigned int bits)
{
	unsigned long n = 0;

	while (!take_extent(XENMEM_increase_reservation, order, bits)) {
		n++;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	return n;
}

static const unsigned int race_bits[] = { 0, 31, 32, 33 };

/* An exchanging thread: low for low, any for low, low for any */
static void race_exchange(void)
{
	exchange_one(race_bits[get_random_u32_below(ARRAY_SIZE(race_bits))]);
	exchange_one(32);
}

/* A populating thread: take extents, give some back to keep room */
static void race_populate(void)
{
	unsigned int order = get_random_u32_below(4) ? 0 : HUGE_ORDER;
	unsigned int bits = race_bits[get_random_u32_below(ARRAY_SIZE(race_bits))];
	unsigned int op = get_random_u32_below(2) ? XENMEM_populate_physmap :
						    XENMEM_increase_reservation;
	struct extent e;

	if (take_extent(op, order, bits) && unhold(&e, true))
		give_back(&e);	/* refused: make room for the other widths */
}

/*
 * Exchange the 2MiB extent at @in for 512 4KiB frames below 4GiB; keep what
 * Xen gave, or find the input kept on failure.  True if the input is gone.
 */
static bool exchange_huge_for_low(xen_pfn_t in, xen_pfn_t *out)
{
	unsigned long i, n = 1UL << HUGE_ORDER;
	struct xen_memory_exchange exch = {
		.in = { .nr_extents = 1, .extent_order = HUGE_ORDER,
			.domid = DOMID_SELF },
		.out = { .nr_extents = n, .address_bits = 32,
			 .domid = DOMID_SELF },
	};

	for (i = 0; i < n; i++)
		out[i] = FAR_GPFN + i;
	set_xen_guest_handle(exch.in.extent_start, &in);
	set_xen_guest_handle(exch.out.extent_start, out);
	atomic64_inc(&attempts);
	if (HYPERVISOR_memory_op(XENMEM_exchange, &exch) || exch.nr_exchanged != 1)
		return false;
	atomic64_inc(&granted);
	for (i = 0; i < n; i++)
		keep(out[i], 0, 32);
	return true;
}

/* Squat until @deadline: whole 2MiB chunks below 4GiB asked for, again and again */
static void squat(unsigned long deadline)
{
	xen_pfn_t *out = kmalloc_array(1UL << HUGE_ORDER, sizeof(*out), GFP_KERNEL);
	struct extent in = { 0, HUGE_ORDER };
	bool have_in = false;

	if (!out)
		return;
	while (time_before(jiffies, deadline) && !kthread_should_stop()) {
		if (!have_in) {
			xen_pfn_t frame = FAR_GPFN;
			struct xen_memory_reservation r = {
				.nr_extents = 1, .extent_order = HUGE_ORDER,
				.domid = DOMID_SELF,
			};

			set_xen_guest_handle(r.extent_start, &frame);
			have_in = HYPERVISOR_memory_op(XENMEM_increase_reservation,
						       &r) == 1;
			in.mfn = frame;
		}
		if (have_in && exchange_huge_for_low(in.mfn, out))
			have_in = false;
		take_extent(XENMEM_populate_physmap, HUGE_ORDER, 32);
		cond_resched();
	}
	if (have_in)
		give_back(&in);
	kfree(out);
}

struct racer {
	struct task_struct *task;
	unsigned long deadline;
	bool exchanger;
	bool squatter;
};

static int racer_fn(void *data)
{
	struct racer *r = data;

	if (r->squatter)
		squat(r->deadline);
	while (time_before(jiffies, r->deadline) && !kthread_should_stop()) {
		if (r->exchanger)
			race_exchange();
		else
			race_populate();
		cond_resched();
	}
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

/* One thread per online vCPU for @seconds (squatters, or racers) */
static int race(unsigned long seconds, bool squatters)
{
	unsigned int cpu, n = 0, i;
	struct racer *r;

	r = kcalloc(num_online_cpus(), sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		r[n].deadline = jiffies + seconds * HZ;
		r[n].exchanger = !(n % 2);
		r[n].squatter = squatters;
		r[n].task = kthread_create_on_cpu(racer_fn, &r[n], cpu,
						  "dma32_attack/%u");
		if (IS_ERR(r[n].task))
			break;
		wake_up_process(r[n].task);
		n++;
	}
	/* The threads stop at the deadline; a killed writer stops them early */
	while (n && time_before(jiffies, r[0].deadline) &&
	       !fatal_signal_pending(current))
		msleep_interruptible(100);
	for (i = 0; i < n; i++)
		kthread_stop(r[i].task);
	kfree(r);
	return 0;
}

static void release_all(void)
{
	struct extent e;

	while (unhold(&e, false)) {
		give_back(&e);
		cond_resched();
	}
}

/* Take at most @frames below 4GiB: 2MiB extents, then 4KiB ones */
static void take_low(unsigned long frames)
{
	unsigned int order;

	for (order = HUGE_ORDER; ; order = 0) {
		while (frames >= (1UL << order) &&
		       !take_extent(XENMEM_increase_reservation, order, 32)) {
			frames -= 1UL << order;
			if (fatal_signal_pending(current))
				return;
			cond_resched();
		}
		if (!order)
			return;
	}
}

static int run_cmd(char *cmd)
{
	unsigned long seconds, frames;

	if (sysfs_streq(cmd, "exhaust")) {
		take_until_refused(HUGE_ORDER, 0);
		take_until_refused(HUGE_ORDER, 33);
		take_until_refused(0, 0);
		take_until_refused(0, 33);
		return 0;
	}
	if (sscanf(cmd, "race %lu", &seconds) == 1)
		return race(seconds, false);
	if (sscanf(cmd, "squat %lu", &seconds) == 1)
		return race(seconds, true);
	if (sysfs_streq(cmd, "grab")) {
		take_until_refused(0, 32);
		return 0;
	}
	if (sscanf(cmd, "take %lu", &frames) == 1) {
		take_low(frames);
		return 0;
	}
	if (sysfs_streq(cmd, "release")) {
		release_all();
		return 0;
	}
	return -EINVAL;
}

static ssize_t run_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	return xtest_cmd_write(buf, len, &run_lock, run_cmd);
}

static int status_show(struct seq_file *m, void *unused)
{
	spin_lock(&held_lock);
	seq_printf(m, "low=%lu high=%lu peak_low=%lu bad=%lu extents=%lu",
		   low_pages, high_pages, peak_low, bad, nr_held);
	spin_unlock(&held_lock);
	seq_printf(m, " attempts=%lld granted=%lld\n",
		   (long long)atomic64_read(&attempts),
		   (long long)atomic64_read(&granted));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static int __init attack_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	held = vmalloc_array(max_extents, sizeof(*held));
	if (!held)
		return -ENOMEM;
	attack_dir = debugfs_create_dir("xen_dma32_attack", NULL);
	debugfs_create_file("run", 0200, attack_dir, NULL, &run_fops);
	debugfs_create_file("status", 0444, attack_dir, NULL, &status_fops);
	return 0;
}

static void __exit attack_exit(void)
{
	debugfs_remove_recursive(attack_dir);
	release_all();
	vfree(held);
}

module_init(attack_init);
module_exit(attack_exit);
MODULE_DESCRIPTION("A hostile PV guest's ways around the DMA32 quota (test helper)");
MODULE_LICENSE("GPL");
