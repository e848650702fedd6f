// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: coherent allocations that never stop while dom0 saves,
 * restores and migrates the domain, and the checks after each cycle.
 *
 * "start <threads>" starts kernel threads (not freezable: the suspend
 * catches them wherever they are, as it catches the pools' workers) that
 * allocate and free coherent regions of 1, 2 and 4 pages for a device
 * limited to 32 bits, each filled with a pattern checked before it is
 * freed.  They also keep a streaming mapping of a page above 4GiB, which
 * xen-swiotlb bounces, with a pattern in its slot.
 *
 * "check" pauses the threads and checks, with the domain as it is now:
 * - the live regions' and the streaming mapping's contents;
 * - every pooled extent is machine-contiguous below its limit;
 * - new regions (pooled ones first) are contiguous below the limit;
 * - no machine frame backs two pseudo-physical frames: the whole p2m is
 *   read inside stop_machine(), so that no exchange moves frames meanwhile.
 * Then the threads go on.  "stop" ends them and frees everything; "result"
 * shows the counts.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>
#include <linux/vmalloc.h>

#include <asm/xen/page.h>
#include <asm/xen/swiotlb-xen.h>
#include <xen/xen.h>

#include "xtest_cmd.h"

#define CHURN_MAX_THREADS	4
#define CHURN_LIVE		16	/* regions each thread keeps */
#define CHURN_BITS		32

struct churn_region {
	void *vaddr;
	dma_addr_t dma;
	unsigned int order;
	u32 seed;
};

struct churn_thread {
	struct task_struct *task;
	struct churn_region live[CHURN_LIVE];
	unsigned int next;
	u32 seed;
};

static struct device *churn_dev;
static struct dentry *churn_dir;
static DEFINE_MUTEX(churn_lock);
static struct churn_thread churn_threads[CHURN_MAX_THREADS];
static unsigned int churn_nr_threads;
static atomic_t churn_paused;	/* threads waiting while a check runs */
static bool churn_pause;

static atomic_long_t churn_allocs, churn_failed, churn_corrupt;
static unsigned long checks, live_corrupt, pool_invalid, fresh, fresh_bad;
static unsigned long p2m_pages, p2m_dup, stream_corrupt;
static const char *stream_state = "none";

/*
 * The streaming mapping kept across cycles, and its slot in the bounce
 * buffer.  The slot is checked where it is, not through the DMA handle: a
 * handle is a machine address, which a migration makes stale (as for any
 * DMA address a PV domain holds; xl refuses to migrate a domain with a
 * device that could use one).
 */
static struct page *stream_page;
static dma_addr_t stream_dma;
static phys_addr_t stream_slot;

/* Fill a region with a pattern from its seed */
static void churn_fill(struct churn_region *r)
{
	u32 *p = r->vaddr;
	size_t i, n = (PAGE_SIZE << r->order) / sizeof(u32);

	for (i = 0; i < n; i++)
		p[i] = r->seed + i;
}

/* Does a region still hold its pattern? */
static bool churn_intact(const struct churn_region *r)
{
	const u32 *p = r->vaddr;
	size_t i, n = (PAGE_SIZE << r->order) / sizeof(u32);

	for (i = 0; i < n; i++)
		if (p[i] != r->seed + i)
			return false;
	return true;
}

static void churn_free(struct churn_region *r)
{
	if (!r->vaddr)
		return;
	if (!churn_intact(r))
		atomic_long_inc(&churn_corrupt);
	dma_free_coherent(churn_dev, PAGE_SIZE << r->order, r->vaddr, r->dma);
	r->vaddr = NULL;
}

/* Replace the thread's oldest region by a new one */
static void churn_step(struct churn_thread *t)
{
	struct churn_region *r = &t->live[t->next];

	churn_free(r);
	r->order = t->seed % 3;
	r->seed = t->seed++;
	r->vaddr = dma_alloc_coherent(churn_dev, PAGE_SIZE << r->order,
				      &r->dma, GFP_KERNEL);
	if (r->vaddr) {
		churn_fill(r);
		atomic_long_inc(&churn_allocs);
	} else {
		atomic_long_inc(&churn_failed);
	}
	t->next = (t->next + 1) % CHURN_LIVE;
}

static int churn_thread_fn(void *data)
{
	struct churn_thread *t = data;
	unsigned int i;

	while (!kthread_should_stop()) {
		if (READ_ONCE(churn_pause)) {
			atomic_inc(&churn_paused);
			while (READ_ONCE(churn_pause) && !kthread_should_stop())
				msleep(20);
			atomic_dec(&churn_paused);
			continue;
		}
		churn_step(t);
		/* Busy, but leaving the test bed's few CPUs to dom0's xl too */
		usleep_range(200, 400);
	}
	for (i = 0; i < CHURN_LIVE; i++)
		churn_free(&t->live[i]);
	return 0;
}

/* Pause the threads, each between two steps */
static void churn_pause_threads(void)
{
	WRITE_ONCE(churn_pause, true);
	while (atomic_read(&churn_paused) < churn_nr_threads)
		msleep(20);
}

static void churn_resume_threads(void)
{
	WRITE_ONCE(churn_pause, false);
}

/* A page whose frame lies above 4GiB, mapped for a 32-bit device: bounced */
static void stream_start(void)
{
	struct page *tried[64];
	unsigned int n = 0, i;
	u32 *p;

	while (n < ARRAY_SIZE(tried)) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			break;
		if (pfn_to_mfn(page_to_pfn(page)) >= 1UL << (32 - PAGE_SHIFT)) {
			stream_page = page;
			break;
		}
		tried[n++] = page;
	}
	for (i = 0; i < n; i++)
		__free_page(tried[i]);
	if (!stream_page) {
		stream_state = "no-frame-above-4GiB";
		return;
	}
	p = page_address(stream_page);
	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		p[i] = 0x5a5a0000 + i;
	stream_dma = dma_map_page(churn_dev, stream_page, 0, PAGE_SIZE,
				  DMA_BIDIRECTIONAL);
	if (dma_mapping_error(churn_dev, stream_dma)) {
		__free_page(stream_page);
		stream_page = NULL;
		stream_state = "map-failed";
		return;
	}
	/* The page's own frame is above the limit: a usable address is a slot */
	stream_state = stream_dma <= DMA_BIT_MASK(CHURN_BITS) ? "bounced" :
							       "not-bounced";
	stream_slot = PFN_PHYS(mfn_to_pfn(PFN_DOWN(stream_dma))) +
		      offset_in_page(stream_dma);
}

/* Does the slot still hold what was mapped? */
static void stream_check(void)
{
	const u32 *p = phys_to_virt(stream_slot);
	unsigned int i;

	if (!stream_page)
		return;
	for (i = 0; i < PAGE_SIZE / sizeof(u32); i++)
		if (p[i] != 0x5a5a0000 + i) {
			stream_corrupt++;
			break;
		}
}

/* Unmapped only while the handle still names the slot; else leaked */
static void stream_stop(void)
{
	if (!stream_page)
		return;
	if (PFN_PHYS(mfn_to_pfn(PFN_DOWN(stream_dma))) +
	    offset_in_page(stream_dma) == stream_slot) {
		dma_unmap_page(churn_dev, stream_dma, PAGE_SIZE,
			       DMA_BIDIRECTIONAL);
		__free_page(stream_page);
	}
	stream_page = NULL;
}

/* Is a region machine-contiguous below the device's limit? */
static bool region_valid(void *vaddr, unsigned int order)
{
	unsigned long pfn = PFN_DOWN(virt_to_phys(vaddr));
	unsigned long mfn = pfn_to_mfn(pfn), i;

	for (i = 0; i < (1UL << order); i++)
		if (pfn_to_mfn(pfn + i) != mfn + i ||
		    mfn + i >= 1UL << (CHURN_BITS - PAGE_SHIFT))
			return false;
	return true;
}

/* New regions of each order, pooled ones first, are valid */
static void fresh_check(void)
{
	struct churn_region r[24];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		r[i].order = i % 3;
		r[i].vaddr = dma_alloc_coherent(churn_dev,
						PAGE_SIZE << r[i].order,
						&r[i].dma, GFP_KERNEL);
		if (!r[i].vaddr)
			continue;
		fresh++;
		fresh_bad += !region_valid(r[i].vaddr, r[i].order);
	}
	for (i = 0; i < ARRAY_SIZE(r); i++)
		if (r[i].vaddr)
			dma_free_coherent(churn_dev, PAGE_SIZE << r[i].order,
					  r[i].vaddr, r[i].dma);
}

struct p2m_snapshot {
	unsigned long *mfns;
	unsigned long size, nr;
};

/* Every frame the p2m names, all CPUs stopped */
static int p2m_read(void *data)
{
	struct p2m_snapshot *s = data;
	unsigned long pfn, mfn;

	s->nr = 0;
	for (pfn = 0; pfn < s->size; pfn++) {
		mfn = __pfn_to_mfn(pfn);
		if (mfn == INVALID_P2M_ENTRY ||
		    mfn & (IDENTITY_FRAME_BIT | FOREIGN_FRAME_BIT))
			continue;
		s->mfns[s->nr++] = mfn;
	}
	return 0;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Frames named by two pseudo-physical frames */
static int p2m_check(void)
{
	/*
	 * Up to the domain's highest RAM page: the p2m's own size leaves room
	 * for memory hotplug (hundreds of GiB)
	 */
	struct p2m_snapshot s = {
		.size = min(xen_p2m_size, PFN_DOWN(__pa(high_memory))),
	};
	unsigned long i;

	s.mfns = vmalloc_array(s.size, sizeof(*s.mfns));
	if (!s.mfns)
		return -ENOMEM;
	stop_machine(p2m_read, &s, NULL);
	sort(s.mfns, s.nr, sizeof(*s.mfns), cmp_ulong, NULL);
	p2m_pages = s.nr;
	p2m_dup = 0;
	for (i = 1; i < s.nr; i++)
		p2m_dup += s.mfns[i] == s.mfns[i - 1];
	vfree(s.mfns);
	return 0;
}

/* The live regions still hold their patterns */
static void live_check(void)
{
	unsigned int t, i;

	for (t = 0; t < churn_nr_threads; t++)
		for (i = 0; i < CHURN_LIVE; i++)
			if (churn_threads[t].live[i].vaddr &&
			    !churn_intact(&churn_threads[t].live[i]))
				live_corrupt++;
}

static int churn_check(void)
{
	int rc;

	churn_pause_threads();
	checks++;
	live_check();
	stream_check();
	pool_invalid += xen_contig_pool_invalid();
	fresh_check();
	rc = p2m_check();
	churn_resume_threads();
	return rc;
}

static int churn_start(unsigned int n)
{
	unsigned int i;

	if (churn_nr_threads || !n || n > CHURN_MAX_THREADS)
		return -EINVAL;
	stream_start();
	for (i = 0; i < n; i++) {
		struct churn_thread *t = &churn_threads[i];

		t->seed = (i + 1) << 24;
		t->task = kthread_run(churn_thread_fn, t, "xen_churn/%u", i);
		if (IS_ERR(t->task))
			break;
		churn_nr_threads++;
	}
	return churn_nr_threads == n ? 0 : -ENOMEM;
}

static void churn_stop(void)
{
	unsigned int i;

	WRITE_ONCE(churn_pause, false);
	for (i = 0; i < churn_nr_threads; i++)
		kthread_stop(churn_threads[i].task);
	memset(churn_threads, 0, sizeof(churn_threads));
	churn_nr_threads = 0;
	stream_stop();
}

/* "start <threads>", "check", "stop" */
static int churn_run(char *cmd)
{
	unsigned int n;

	if (sscanf(cmd, "start %u", &n) == 1)
		return churn_start(n);
	if (sysfs_streq(cmd, "check"))
		return churn_nr_threads ? churn_check() : -EINVAL;
	if (sysfs_streq(cmd, "stop")) {
		churn_stop();
		return 0;
	}
	return -EINVAL;
}

static ssize_t run_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	return xtest_cmd_write(ubuf, len, &churn_lock, churn_run);
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static int result_show(struct seq_file *m, void *data)
{
	seq_printf(m, "threads=%u allocs=%ld failed=%ld corrupt=%ld checks=%lu live_corrupt=%lu pool_invalid=%lu fresh=%lu fresh_bad=%lu p2m_pages=%lu p2m_dup=%lu stream=%s stream_corrupt=%lu\n",
		   churn_nr_threads, atomic_long_read(&churn_allocs),
		   atomic_long_read(&churn_failed),
		   atomic_long_read(&churn_corrupt), checks, live_corrupt,
		   pool_invalid, fresh, fresh_bad, p2m_pages, p2m_dup,
		   stream_state, stream_corrupt);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(result);

static int __init churn_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	churn_dev = root_device_register("xen_save_churn");
	if (IS_ERR(churn_dev))
		return PTR_ERR(churn_dev);
	churn_dev->coherent_dma_mask = DMA_BIT_MASK(CHURN_BITS);
	churn_dev->dma_mask = &churn_dev->coherent_dma_mask;
	churn_dir = debugfs_create_dir("xen_save_churn", NULL);
	debugfs_create_file("run", 0200, churn_dir, NULL, &run_fops);
	debugfs_create_file("result", 0444, churn_dir, NULL, &result_fops);
	return 0;
}

static void __exit churn_exit(void)
{
	mutex_lock(&churn_lock);
	churn_stop();
	mutex_unlock(&churn_lock);
	debugfs_remove_recursive(churn_dir);
	root_device_unregister(churn_dev);
}

module_init(churn_init);
module_exit(churn_exit);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("Coherent allocations across save, restore and migration (test helper)");
MODULE_LICENSE("GPL");
