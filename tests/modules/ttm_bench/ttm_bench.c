// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark driver for the TTM pool of a DMA32-limited GPU (make bench).
 *
 * It uses TTM as radeon does on a 32-bit card: a ttm_device for a PCI
 * display device, use_dma_alloc and use_dma32 computed as radeon computes
 * them (drm_need_swiotlb(), dma_addressing_limited()), buffers (ttm_tt with DMA
 * addresses) populated with ttm_pool_alloc() from the device's pool and freed
 * with ttm_pool_free().
 * The pool takes its pages with dma_alloc_attrs(), as TTM does for such a
 * device under Xen PV (drm_need_swiotlb()): xen-swiotlb's coherent
 * allocation, with or without its pools of contiguous extents
 * (debugfs xen_contig_pool/enabled), and without Xen native TTM.  The
 * 'dma' commands measure dma_alloc_attrs() alone.
 *
 * debugfs ttm_bench/ctl takes one command per write; ttm_bench/result reads
 * what the last one did (ns is the time of the measured part only):
 *   init                  create the TTM device (and its pool)
 *   alloc <size> <total>  create total/size buffers (not timed), populate them
 *   free                  give every buffer's pages back to the pool
 *   fini                  destroy the buffers and the device (and its pool)
 *   shrink                give every extent xen-swiotlb's pools hold back
 *                         to Xen
 *   dma <chunk> <total>   dma_alloc_attrs() chunks
 *   dmafree               dma_free_attrs() them
 *   lat <size> <total> <gap us>
 *                         as alloc, timing each buffer's populate on its
 *                         own, with a pause of <gap us> between two (the
 *                         rest of a driver's work); the samples add up
 *                         until 'latreset' and the result gives their
 *                         median, 99th percentile and maximum, and how
 *                         many populates ran alone, met an interrupt,
 *                         refilled xen-swiotlb's pools themselves or gave
 *                         up the CPU (to the refill worker, say)
 *   latreset              forget the latency samples
 *   nop                   nothing (the reading tools' own baseline)
 * Every page handed out is checked against the device's coherent mask.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/dma-mapping.h>
#include <linux/kernel_stat.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <asm/xen/page.h>
#include <xen/swiotlb-xen.h>
#include <xen/xen.h>

#include <drm/drm_cache.h>
#include <drm/drm_vma_manager.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_pool.h>
#include <drm/ttm/ttm_tt.h>

#include "xtest_cmd.h"

static char *device;
module_param(device, charp, 0444);
MODULE_PARM_DESC(device, "PCI device to allocate for, e.g. 0000:00:02.0 (default: the first VGA device)");

struct bench_chunk {
	void *cpu;
	dma_addr_t dma;
};

static struct pci_dev *bench_pdev;
static struct drm_vma_offset_manager bench_vma;
static struct ttm_device bench_anchor;
static struct ttm_device bench_bdev;
static struct ttm_pool *bench_pool = &bench_bdev.pool;
static bool bench_pool_ready;
static struct ttm_tt *bench_tts;
static unsigned long bench_nr_tts;
static unsigned long bench_nr_populated;
static struct bench_chunk *bench_chunks;
static unsigned long bench_nr_chunks;
static size_t bench_chunk_size;
static u64 *bench_lat;		/* populate times (ns) since 'latreset' */
/*
 * What else happened during each populate: nothing, an interrupt on its CPU,
 * a refill of xen-swiotlb's pools by this thread, or a switch away from it
 * (it slept, or lost the CPU)
 */
enum bench_lat_class {
	BENCH_LAT_CLEAN, BENCH_LAT_IRQ, BENCH_LAT_REFILL, BENCH_LAT_SWITCHED
};

static u8 *bench_lat_class;
static unsigned long bench_nr_lat;
static char bench_result[384];
static DEFINE_MUTEX(bench_lock);
static struct dentry *bench_dir;

/* Report the time since @start as the result of a step */
static void bench_took(u64 start)
{
	snprintf(bench_result, sizeof(bench_result), "ns=%llu\n",
		 ktime_get_ns() - start);
}

/* The machine frame of a page: what the device sees */
static unsigned long bench_frame(struct page *p)
{
	unsigned long pfn = page_to_pfn(p);

	return xen_pv_domain() ? pfn_to_mfn(pfn) : pfn;
}

/* Pages of @nr from @first whose frames the device cannot reach */
static unsigned long bench_above(struct page *first, unsigned long nr)
{
	u64 limit = bench_pdev->dev.coherent_dma_mask >> PAGE_SHIFT;
	unsigned long i, above = 0;

	for (i = 0; i < nr; i++)
		above += bench_frame(first + i) > limit;
	return above;
}

/* No buffer objects are created: TTM never calls back */
static const struct ttm_device_funcs bench_funcs;

static int bench_init(void)
{
	int rc;

	if (bench_pool_ready)
		return -EBUSY;
	/* As radeon computes them (radeon_device.c, radeon_ttm.c) */
	rc = ttm_device_init(&bench_bdev, &bench_funcs, &bench_pdev->dev, NULL,
			     &bench_vma,
			     drm_need_swiotlb(fls64(dma_get_mask(&bench_pdev->dev))),
			     dma_addressing_limited(&bench_pdev->dev));
	if (rc)
		return rc;
	bench_pool_ready = true;
	snprintf(bench_result, sizeof(bench_result),
		 "coherent=%d dma32=%d mask_bits=%u\n",
		 bench_pool->use_dma_alloc, bench_pool->use_dma32,
		 fls64(bench_pdev->dev.coherent_dma_mask));
	return 0;
}

/* Buffers of @size bytes for @total bytes, not populated */
static int bench_create_tts(size_t size, size_t total)
{
	struct ttm_buffer_object bo = { .base.size = size };
	unsigned long i;
	int rc;

	bench_tts = kvcalloc(total / size, sizeof(*bench_tts), GFP_KERNEL);
	if (!bench_tts)
		return -ENOMEM;
	for (i = 0; i < total / size; i++) {
		rc = ttm_sg_tt_init(&bench_tts[i], &bo, 0, ttm_write_combined);
		if (rc)
			return rc;
		bench_nr_tts++;
	}
	return 0;
}

/* Populate every buffer: pages, write-combined, DMA addresses */
static int bench_alloc(size_t size, size_t total)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	unsigned long i, pages = 0, above = 0;
	u64 start, ns;
	int rc;

	if (!bench_pool_ready || bench_nr_populated || !size || size % PAGE_SIZE ||
	    !total || total % size)
		return -EINVAL;
	if (!bench_nr_tts) {
		rc = bench_create_tts(size, total);
		if (rc)
			return rc;
	} else if (bench_nr_tts != total / size ||
		   bench_tts[0].num_pages != size >> PAGE_SHIFT) {
		return -EINVAL;
	}

	start = ktime_get_ns();
	for (i = 0; i < bench_nr_tts; i++) {
		rc = ttm_pool_alloc(bench_pool, &bench_tts[i], &ctx);
		if (rc)
			return rc;
		bench_nr_populated++;
	}
	ns = ktime_get_ns() - start;

	for (i = 0; i < bench_nr_tts; i++) {
		struct ttm_tt *tt = &bench_tts[i];
		pgoff_t j;

		for (j = 0; j < tt->num_pages; j++)
			above += bench_above(tt->pages[j], 1);
		pages += tt->num_pages;
	}
	snprintf(bench_result, sizeof(bench_result),
		 "ns=%llu pages=%lu above=%lu\n", ns, pages, above);
	return 0;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Room for @more latency samples beside those kept */
static int bench_lat_grow(unsigned long more)
{
	u64 *lat = kvmalloc_array(bench_nr_lat + more, sizeof(*lat), GFP_KERNEL);
	u8 *class = kvmalloc_array(bench_nr_lat + more, sizeof(*class),
				   GFP_KERNEL);

	if (!lat || !class) {
		kvfree(lat);
		kvfree(class);
		return -ENOMEM;
	}
	if (bench_lat) {
		memcpy(lat, bench_lat, bench_nr_lat * sizeof(*lat));
		memcpy(class, bench_lat_class, bench_nr_lat * sizeof(*class));
	}
	kvfree(bench_lat);
	kvfree(bench_lat_class);
	bench_lat = lat;
	bench_lat_class = class;
	return 0;
}

/* What a populate shared its time with, from counts before and after */
struct bench_lat_mark {
	unsigned long switches;
	unsigned long irqs;
	unsigned long inline_refills;
};

/*
 * Interrupts on this CPU so far: those with an irq descriptor (every one
 * under Xen PV, an event channel each) and the local APIC's (native)
 */
static unsigned long bench_irqs(void)
{
	unsigned int cpu = raw_smp_processor_id();
	const irq_cpustat_t *arch = &per_cpu(irq_stat, cpu);

	return kstat_cpu_irqs_sum(cpu) + arch->apic_timer_irqs +
	       arch->apic_irq_work_irqs + arch->irq_resched_count +
	       arch->irq_call_count + arch->irq_tlb_count;
}

static void bench_lat_mark(struct bench_lat_mark *m)
{
	m->switches = current->nvcsw + current->nivcsw;
	m->irqs = bench_irqs();
	m->inline_refills = xen_pv_domain() ? xen_contig_pool_inline_refills() : 0;
}

static u8 bench_lat_classify(const struct bench_lat_mark *before)
{
	struct bench_lat_mark after;

	bench_lat_mark(&after);
	if (after.switches != before->switches)
		return BENCH_LAT_SWITCHED;
	if (after.inline_refills != before->inline_refills)
		return BENCH_LAT_REFILL;
	return after.irqs != before->irqs ? BENCH_LAT_IRQ : BENCH_LAT_CLEAN;
}

/* Sort the samples of @class into @out; return how many */
static unsigned long bench_lat_select(u64 *out, u8 class)
{
	unsigned long i, n = 0;

	for (i = 0; i < bench_nr_lat; i++)
		if (bench_lat_class[i] == class)
			out[n++] = bench_lat[i];
	sort(out, n, sizeof(*out), bench_cmp_u64, NULL);
	return n;
}

/* The median of @n sorted samples, 0 if none */
static u64 bench_p50(const u64 *s, unsigned long n)
{
	return n ? s[(n - 1) / 2] : 0;
}

/* The 99th percentile of @n sorted samples, 0 if none */
static u64 bench_p99(const u64 *s, unsigned long n)
{
	return n ? s[(n * 99 - 1) / 100] : 0;
}

/*
 * Report the median, 99th percentile and maximum of the samples kept; of
 * those that ran alone, the same; how many shared their time with an
 * interrupt or another thread, and their median
 */
static void bench_lat_report(unsigned long above)
{
	u64 *all, *clean, *irq, *refill, *sw;
	unsigned long n = bench_nr_lat, nclean, nirq, nrefill, nsw;

	all = kvmalloc_array(5 * n, sizeof(*all), GFP_KERNEL);
	if (!all) {
		snprintf(bench_result, sizeof(bench_result), "n=0\n");
		return;
	}
	memcpy(all, bench_lat, n * sizeof(*all));
	sort(all, n, sizeof(*all), bench_cmp_u64, NULL);
	clean = all + n;
	irq = clean + n;
	refill = irq + n;
	sw = refill + n;
	nclean = bench_lat_select(clean, BENCH_LAT_CLEAN);
	nirq = bench_lat_select(irq, BENCH_LAT_IRQ);
	nrefill = bench_lat_select(refill, BENCH_LAT_REFILL);
	nsw = bench_lat_select(sw, BENCH_LAT_SWITCHED);
	snprintf(bench_result, sizeof(bench_result),
		 "n=%lu p50=%llu p99=%llu max=%llu above=%lu clean=%lu clean_p50=%llu clean_p99=%llu clean_max=%llu irq=%lu irq_p50=%llu refill=%lu refill_p50=%llu switched=%lu switched_p50=%llu\n",
		 n, bench_p50(all, n), bench_p99(all, n), all[n - 1], above,
		 nclean, bench_p50(clean, nclean), bench_p99(clean, nclean),
		 nclean ? clean[nclean - 1] : 0, nirq, bench_p50(irq, nirq),
		 nrefill, bench_p50(refill, nrefill), nsw, bench_p50(sw, nsw));
	kvfree(all);
}

/*
 * Populate every buffer, timing each on its own, with @gap_us between two:
 * how long one allocation may wait (behind a refill, say)
 */
static int bench_lat_alloc(size_t size, size_t total, unsigned long gap_us)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	unsigned long i, above = 0;
	pgoff_t j;
	int rc;

	if (!bench_pool_ready || bench_nr_populated || bench_nr_tts ||
	    !size || size % PAGE_SIZE || !total || total % size || gap_us > 100000)
		return -EINVAL;
	rc = bench_create_tts(size, total);
	if (!rc)
		rc = bench_lat_grow(bench_nr_tts);
	if (rc)
		return rc;

	for (i = 0; i < bench_nr_tts; i++) {
		struct bench_lat_mark mark;
		u64 start;

		bench_lat_mark(&mark);
		start = ktime_get_ns();
		rc = ttm_pool_alloc(bench_pool, &bench_tts[i], &ctx);
		if (rc)
			return rc;
		bench_lat[bench_nr_lat] = ktime_get_ns() - start;
		bench_lat_class[bench_nr_lat++] = bench_lat_classify(&mark);
		bench_nr_populated++;
		for (j = 0; j < bench_tts[i].num_pages; j++)
			above += bench_above(bench_tts[i].pages[j], 1);
		if (gap_us)
			usleep_range(gap_us, gap_us + gap_us / 4 + 1);
	}
	bench_lat_report(above);
	return 0;
}

static void bench_lat_reset(void)
{
	kvfree(bench_lat);
	kvfree(bench_lat_class);
	bench_lat = NULL;
	bench_lat_class = NULL;
	bench_nr_lat = 0;
}

static int bench_free(void)
{
	unsigned long i;
	u64 start;

	if (!bench_nr_populated)
		return -EINVAL;
	start = ktime_get_ns();
	for (i = 0; i < bench_nr_populated; i++)
		ttm_pool_free(bench_pool, &bench_tts[i]);
	bench_took(start);
	bench_nr_populated = 0;
	return 0;
}

/* Destroy the buffers and the pool: pooled pages go back */
static int bench_fini(void)
{
	unsigned long i;
	u64 start;

	if (!bench_pool_ready)
		return -EINVAL;
	if (bench_nr_populated)
		bench_free();
	for (i = 0; i < bench_nr_tts; i++)
		ttm_tt_fini(&bench_tts[i]);
	kvfree(bench_tts);
	bench_tts = NULL;
	bench_nr_tts = 0;

	start = ktime_get_ns();
	ttm_device_fini(&bench_bdev);
	bench_took(start);
	bench_pool_ready = false;
	return 0;
}

/* Give everything xen-swiotlb's pools hold back to Xen */
static int bench_shrink(void)
{
	unsigned long pages = 0, freed;
	u64 start;

	/* A refill ahead of demand still running would pool more after it */
	if (xen_pv_domain())
		xen_contig_pool_flush_refills();
	start = ktime_get_ns();
	do {
		freed = xen_pv_domain() ? xen_contig_pool_shrink(ULONG_MAX) : 0;
		pages += freed;
	} while (freed);
	snprintf(bench_result, sizeof(bench_result), "ns=%llu pages=%lu\n",
		 ktime_get_ns() - start, pages);
	return 0;
}

/* dma_alloc_attrs() in chunks of @chunk bytes, @total bytes in all */
static int bench_dma(size_t chunk, size_t total)
{
	unsigned long i, above = 0;
	u64 start, ns;

	if (bench_chunks || !chunk || chunk % PAGE_SIZE || !total ||
	    total % chunk)
		return -EINVAL;
	bench_chunks = kvcalloc(total / chunk, sizeof(*bench_chunks), GFP_KERNEL);
	if (!bench_chunks)
		return -ENOMEM;
	bench_chunk_size = chunk;

	start = ktime_get_ns();
	for (i = 0; i < total / chunk; i++) {
		struct bench_chunk *c = &bench_chunks[i];

		c->cpu = dma_alloc_attrs(&bench_pdev->dev, chunk, &c->dma,
					 GFP_KERNEL, 0);
		if (!c->cpu)
			break;
		bench_nr_chunks++;
	}
	ns = ktime_get_ns() - start;
	if (bench_nr_chunks < total / chunk)
		return -ENOMEM;

	for (i = 0; i < bench_nr_chunks; i++)
		above += bench_above(virt_to_page(bench_chunks[i].cpu),
				     chunk >> PAGE_SHIFT);
	snprintf(bench_result, sizeof(bench_result),
		 "ns=%llu pages=%lu above=%lu\n", ns,
		 (total / chunk) * (chunk >> PAGE_SHIFT), above);
	return 0;
}

static int bench_dma_free(void)
{
	unsigned long i;
	u64 start;

	if (!bench_chunks)
		return -EINVAL;
	start = ktime_get_ns();
	for (i = 0; i < bench_nr_chunks; i++)
		dma_free_attrs(&bench_pdev->dev, bench_chunk_size,
			       bench_chunks[i].cpu, bench_chunks[i].dma, 0);
	bench_took(start);
	kvfree(bench_chunks);
	bench_chunks = NULL;
	bench_nr_chunks = 0;
	return 0;
}

static int bench_run(char *cmd)
{
	unsigned long size, total, gap;
	char word[16];
	int n;

	n = sscanf(cmd, "%15s %lu %lu %lu", word, &size, &total, &gap);
	if (n < 1)
		return -EINVAL;
	snprintf(bench_result, sizeof(bench_result), "\n");
	if (!strcmp(word, "nop"))
		return 0;
	if (!strcmp(word, "init"))
		return bench_init();
	if (!strcmp(word, "alloc") && n == 3)
		return bench_alloc(size, total);
	if (!strcmp(word, "free"))
		return bench_free();
	if (!strcmp(word, "fini"))
		return bench_fini();
	if (!strcmp(word, "shrink"))
		return bench_shrink();
	if (!strcmp(word, "dma") && n == 3)
		return bench_dma(size, total);
	if (!strcmp(word, "dmafree"))
		return bench_dma_free();
	if (!strcmp(word, "lat") && n == 4)
		return bench_lat_alloc(size, total, gap);
	if (!strcmp(word, "latreset")) {
		bench_lat_reset();
		return 0;
	}
	return -EINVAL;
}

static ssize_t bench_ctl_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	return xtest_cmd_write(ubuf, len, &bench_lock, bench_run);
}

static const struct file_operations bench_ctl_fops = {
	.owner = THIS_MODULE,
	.write = bench_ctl_write,
};

static ssize_t bench_result_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	ssize_t rc;

	mutex_lock(&bench_lock);
	rc = simple_read_from_buffer(ubuf, len, ppos, bench_result,
				     strlen(bench_result));
	mutex_unlock(&bench_lock);
	return rc;
}

static const struct file_operations bench_result_fops = {
	.owner = THIS_MODULE,
	.read = bench_result_read,
};

static struct pci_dev *bench_find_device(void)
{
	struct pci_dev *pdev = NULL;

	if (!device)
		return pci_get_class(PCI_CLASS_DISPLAY_VGA << 8, NULL);
	for_each_pci_dev(pdev)
		if (!strcmp(pci_name(pdev), device))
			return pdev;
	return NULL;
}

static int __init bench_module_init(void)
{
	int rc;

	bench_pdev = bench_find_device();
	if (!bench_pdev) {
		pr_err("ttm_bench: no PCI device %s\n", device ?: "of VGA class");
		return -ENODEV;
	}
	drm_vma_offset_manager_init(&bench_vma, 0, 16);
	/*
	 * TTM's global state (and the Xen pools) lives while any TTM device
	 * does, as with the display driver of a real dom0: keep one device
	 * for the module's lifetime so that 'fini' measures one device only.
	 */
	rc = ttm_device_init(&bench_anchor, &bench_funcs, &bench_pdev->dev, NULL,
			     &bench_vma, false, false);
	if (rc) {
		drm_vma_offset_manager_destroy(&bench_vma);
		pci_dev_put(bench_pdev);
		return rc;
	}
	bench_dir = debugfs_create_dir("ttm_bench", NULL);
	debugfs_create_file("ctl", 0200, bench_dir, NULL, &bench_ctl_fops);
	debugfs_create_file("result", 0400, bench_dir, NULL, &bench_result_fops);
	return 0;
}

static void __exit bench_module_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	mutex_lock(&bench_lock);
	if (bench_pool_ready)
		bench_fini();
	if (bench_chunks)
		bench_dma_free();
	bench_lat_reset();
	mutex_unlock(&bench_lock);
	ttm_device_fini(&bench_anchor);
	drm_vma_offset_manager_destroy(&bench_vma);
	pci_dev_put(bench_pdev);
}

module_init(bench_module_init);
module_exit(bench_module_exit);
MODULE_DESCRIPTION("TTM pool benchmark for a DMA32-limited device");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
