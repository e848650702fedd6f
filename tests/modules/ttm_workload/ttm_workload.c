// SPDX-License-Identifier: GPL-2.0
/*
 * A DMA32-limited GPU driver's buffer workload, for the DMA32 quota
 * scenarios (tests/system/guest-ttm-quota, ...): buffer objects in system
 * memory, write-combined (or write-back with wb=1: Xen lets a PV domain
 * without I/O resources map memory write-back only), populated and swapped
 * as a driver's would be.
 *
 * It uses a ttm_device for a PCI device given as device= (a passed-through
 * GPU), else for a device of its own (in a guest without PCI devices,
 * booted with iommu=soft so that xen-swiotlb runs).  The device is set up
 * exactly as the driver named by model= sets up its own, DMA mask and
 * ttm_device_init() arguments computed the same way:
 *   radeon   mask of dma_bits (32 for need_dma32 chips, else 40),
 *            use_dma_alloc = drm_need_swiotlb(dma_bits),
 *            use_dma32 = dma_addressing_limited(dev)      (radeon_ttm.c)
 *   amdgpu   the same with dma_bits 44 (gmc_v9_0.c, amdgpu_ttm.c)
 *   nouveau  mask of dma_bits, use_dma_alloc = drm_need_swiotlb(dma_bits),
 *            use_dma32 = dma_bits <= 32                   (nouveau_ttm.c)
 *   vram     the VRAM helpers: no mask of their own, use_dma_alloc = false,
 *            use_dma32 = true, buffers ttm_cached without DMA addresses
 *            (drm_gem_vram_helper.c); pages are not checked against a mask
 *            as the device never reaches them by DMA.
 *   edu      QEMU's edu device (docs/specs/edu.rst), whose DMA engine masks
 *            every address with its dma_mask property as a device with
 *            that many address lines would: a mask of dma_bits (24 to 32,
 *            the property's width: old sound and capture cards, AGP-era
 *            GPUs), use_dma_alloc and use_dma32 by nouveau's rule.  The
 *            device is the judge: every page populated is copied by its
 *            DMA engine into the device and back (the page cleared in
 *            between), and must come back as it was.
 * Under Xen PV drm_need_swiotlb() is true, so the first three take their
 * pages from xen-swiotlb's coherent allocations.
 *
 * debugfs ttm_workload/run takes one command per write, as a driver's
 * ioctls (returning to user space between them also lets the swap files of
 * swapped-in buffers be released):
 *   create <buffers> <KiB each>  create the buffers (not populated)
 *   use <n>                      populate buffer n (swapping others out if
 *                                TTM must), check it (every frame below the
 *                                device's limit, the stamp written in each
 *                                page when it was last used still there),
 *                                stamp it, and leave it on the LRU
 *   destroy                      destroy the buffers
 *   coherent <order> <n>         (edu) n coherent extents of 2^order pages
 *                                from dma_alloc_coherent(), every page
 *                                through the device, freed; twice, so
 *                                that the second pass takes pooled ones
 *   selftest                     (edu) a page sent through its neighbour's
 *                                DMA address, which must come back wrong:
 *                                the device's check can fail
 * ttm_workload/result reads what the uses since create did.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <asm/xen/page.h>
#include <xen/xen.h>

#include <drm/drm_cache.h>
#include <drm/drm_vma_manager.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_pool.h>
#include <drm/ttm/ttm_tt.h>

#include "xtest_cmd.h"

static bool wb;
module_param(wb, bool, 0444);
MODULE_PARM_DESC(wb, "Write-back buffers instead of write-combined ones");

static char *device;
module_param(device, charp, 0444);
MODULE_PARM_DESC(device, "PCI device of the GPU, e.g. 0000:00:00.0 (default: a device of our own)");

static char *model = "radeon";
module_param(model, charp, 0444);
MODULE_PARM_DESC(model, "Driver whose TTM set-up to copy: radeon, amdgpu, nouveau, vram or edu (default: radeon)");

static int dma_bits;
module_param(dma_bits, int, 0444);
MODULE_PARM_DESC(dma_bits, "The device's DMA address bits (default: 44 for amdgpu, 28 for edu, else 32)");

/* What model= and dma_bits= made of the device */
static bool wl_use_dma_alloc, wl_use_dma32, wl_vram, wl_edu;

struct wl_result {
	unsigned long populated;	/* successful populations */
	unsigned long swapped_in;	/* of which of swapped-out buffers */
	unsigned long failed;		/* populations that failed */
	unsigned long above;		/* pages above the device's limit */
	unsigned long dma_other;	/* DMA addresses not the page's frame */
	unsigned long corrupt;		/* pages that lost their stamp */
	unsigned long failed_nomem;	/* of the failed, with -ENOMEM */
	unsigned long edu_pages;	/* pages the edu device copied */
	unsigned long edu_mismatch;	/* of which came back changed */
	unsigned long edu_timeout;	/* DMAs the device did not finish */
	int first_error;
	u64 ms;				/* time the rounds took */
};

static struct platform_device *wl_pdev;
static struct pci_dev *wl_pci;
static struct device *wl_dev;
static struct drm_vma_offset_manager wl_vma;
static struct ttm_device wl_bdev;
static struct wl_result wl_last;
static DEFINE_MUTEX(wl_lock);
static struct dentry *wl_dir;

static struct ttm_place wl_sys_place = { .mem_type = TTM_PL_SYSTEM };
static struct ttm_placement wl_sys_placement = {
	.num_placement = 1, .placement = &wl_sys_place,
};

static struct ttm_tt *wl_tt_create(struct ttm_buffer_object *bo,
				   u32 page_flags)
{
	struct ttm_tt *tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	int ret;

	if (!tt)
		return NULL;
	if (wl_vram)
		ret = ttm_tt_init(tt, bo, page_flags, ttm_cached, 0);
	else
		ret = ttm_sg_tt_init(tt, bo, page_flags,
				     wb ? ttm_cached : ttm_write_combined);
	if (ret) {
		kfree(tt);
		return NULL;
	}
	return tt;
}

static void wl_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

/* Buffers live in system memory only: every move is a null move */
static int wl_move(struct ttm_buffer_object *bo, bool evict,
		   struct ttm_operation_ctx *ctx, struct ttm_resource *new_mem,
		   struct ttm_place *hop)
{
	ttm_bo_move_null(bo, new_mem);
	return 0;
}

static void wl_evict_flags(struct ttm_buffer_object *bo,
			   struct ttm_placement *placement)
{
	*placement = wl_sys_placement;
}

static const struct ttm_device_funcs wl_funcs = {
	.ttm_tt_create = wl_tt_create,
	.ttm_tt_destroy = wl_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = wl_evict_flags,
	.move = wl_move,
};

static void wl_bo_destroy(struct ttm_buffer_object *bo)
{
	dma_resv_fini(&bo->base._resv);
	kfree(bo);
}

static struct ttm_buffer_object *wl_bo_create(size_t size)
{
	struct ttm_operation_ctx ctx = { };
	struct ttm_buffer_object *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.size = size;
	dma_resv_init(&bo->base._resv);
	drm_vma_node_reset(&bo->base.vma_node);
	ret = ttm_bo_init_reserved(&wl_bdev, bo, ttm_bo_type_kernel,
				   &wl_sys_placement, 0, &ctx, NULL, NULL,
				   wl_bo_destroy);
	if (ret)
		return ERR_PTR(ret);	/* TTM put and destroyed it */
	ttm_bo_unreserve(bo);
	return bo;
}

/* The machine frame of a page: what the device sees */
static unsigned long wl_frame(struct page *p)
{
	unsigned long pfn = page_to_pfn(p);

	return xen_pv_domain() ? pfn_to_mfn(pfn) : pfn;
}

/* A stamp for page @i of buffer @b */
static u64 wl_stamp(unsigned long b, pgoff_t i)
{
	return 0x7474000000000000ULL | ((u64)b << 24) | i;
}

/* edu's registers and the DMA buffer inside it (docs/specs/edu.rst) */
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_ID		0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_RUN	0x1
#define EDU_CMD_TO_RAM	0x2
#define EDU_BUF		0x40000
/*
 * What one transfer copies: a page but its last word.  QEMU 7.2's edu
 * refuses (and stops the machine) a transfer that ends at its buffer's
 * end, an off-by-one in edu_check_range(); the device reaching a page at
 * the wrong address fails at its first word anyway.
 */
#define EDU_XFER	(PAGE_SIZE - sizeof(u32))

static void __iomem *wl_edu_mmio;

/* One page's DMA (EDU_XFER) between the device's buffer and memory at @dma */
static int wl_edu_dma(dma_addr_t dma, bool to_ram)
{
	unsigned long timeout = jiffies + 5 * HZ;

	writeq(to_ram ? EDU_BUF : dma, wl_edu_mmio + EDU_DMA_SRC);
	writeq(to_ram ? dma : EDU_BUF, wl_edu_mmio + EDU_DMA_DST);
	writeq(EDU_XFER, wl_edu_mmio + EDU_DMA_CNT);
	wmb();	/* the page's write-combined writes before the device reads */
	writeq(EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0),
	       wl_edu_mmio + EDU_DMA_CMD);
	/* The device finishes a transfer 100ms later (its timer) */
	while (readq(wl_edu_mmio + EDU_DMA_CMD) & EDU_CMD_RUN) {
		if (time_after(jiffies, timeout))
			return -ETIMEDOUT;
		usleep_range(2000, 5000);
	}
	rmb();	/* what the device wrote, not what the CPU read before */
	return 0;
}

/*
 * Page @va at @dma through the device: a pattern copied into the device,
 * the page cleared, copied back.  A page the device does not reach at @dma
 * comes back cleared (or not at all).
 */
static void wl_edu_check_page(void *va, dma_addr_t dma, u32 seed,
			      struct wl_result *r)
{
	u32 *p = va;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		p[i] = seed ^ (i * 0x9e3779b9);
	r->edu_pages++;
	if (wl_edu_dma(dma, false)) {
		r->edu_timeout++;
		return;
	}
	memset(va, 0, PAGE_SIZE);
	if (wl_edu_dma(dma, true)) {
		r->edu_timeout++;
		return;
	}
	for (i = 0; i < EDU_XFER / sizeof(*p); i++)
		if (p[i] != (seed ^ (i * 0x9e3779b9))) {
			r->edu_mismatch++;
			return;
		}
}

/* Check a populated buffer, then stamp its pages for the next round */
static void wl_check(struct ttm_buffer_object *bo, unsigned long b,
		     bool stamped, struct wl_result *r)
{
	u64 limit = dma_get_mask(wl_dev) >> PAGE_SHIFT;
	struct ttm_tt *tt = bo->ttm;
	pgoff_t i;

	limit = min_t(u64, limit, wl_dev->coherent_dma_mask >> PAGE_SHIFT);
	for (i = 0; i < tt->num_pages; i++) {
		u64 *va = page_address(tt->pages[i]);

		if (!wl_vram) {
			r->above += wl_frame(tt->pages[i]) > limit;
			/* The device reaches the page, not a bounce slot */
			r->dma_other += tt->dma_address[i] !=
				(dma_addr_t)wl_frame(tt->pages[i]) << PAGE_SHIFT;
		}
		if (stamped && *va != wl_stamp(b, i))
			r->corrupt++;
		if (wl_edu)
			wl_edu_check_page(va, tt->dma_address[i],
					  wl_stamp(b, i) + r->edu_pages, r);
		*va = wl_stamp(b, i);
	}
}

/* Populate buffer @b (swapping others out if TTM must) and check it */
static void wl_use(struct ttm_buffer_object *bo, unsigned long b,
		   bool stamped, struct wl_result *r)
{
	struct ttm_operation_ctx ctx = { };
	bool swapped;
	int ret;

	ret = ttm_bo_reserve(bo, false, false, NULL);
	if (ret)
		goto fail;
	swapped = bo->ttm->page_flags & TTM_TT_FLAG_SWAPPED;
	ret = ttm_tt_populate(&wl_bdev, bo->ttm, &ctx);
	if (!ret) {
		r->populated++;
		r->swapped_in += swapped;
		wl_check(bo, b, stamped, r);
	}
	ttm_bo_unreserve(bo);
	if (!ret)
		return;
fail:
	r->failed++;
	r->failed_nomem += ret == -ENOMEM;
	if (!r->first_error)
		r->first_error = ret;
}

static struct ttm_buffer_object **wl_bos;
static bool *wl_used;		/* stamped by an earlier use */
static unsigned long wl_nr;

static void wl_destroy(void)
{
	unsigned long b;

	for (b = 0; b < wl_nr; b++)
		ttm_bo_put(wl_bos[b]);
	kvfree(wl_bos);
	kvfree(wl_used);
	wl_bos = NULL;
	wl_used = NULL;
	wl_nr = 0;
}

static int wl_create(unsigned long nr, unsigned long kib)
{
	unsigned long b;

	if (wl_bos || !nr || !kib || kib % (PAGE_SIZE >> 10) || nr > 65536 ||
	    kib > SZ_1M)
		return -EINVAL;
	wl_bos = kvcalloc(nr, sizeof(*wl_bos), GFP_KERNEL);
	wl_used = kvcalloc(nr, sizeof(*wl_used), GFP_KERNEL);
	if (!wl_bos || !wl_used) {
		wl_destroy();
		return -ENOMEM;
	}
	memset(&wl_last, 0, sizeof(wl_last));
	for (b = 0; b < nr; b++) {
		wl_bos[b] = wl_bo_create(kib << 10);
		if (IS_ERR(wl_bos[b])) {
			int ret = PTR_ERR(wl_bos[b]);

			wl_destroy();
			return ret;
		}
		wl_nr++;
	}
	return 0;
}

static int wl_use_nr(unsigned long b)
{
	u64 start = ktime_get_ns();

	if (!wl_bos || b >= wl_nr)
		return -EINVAL;
	wl_use(wl_bos[b], b, wl_used[b], &wl_last);
	wl_used[b] = true;
	wl_last.ms += (ktime_get_ns() - start) / NSEC_PER_MSEC;
	return 0;
}

/* @n coherent extents of 2^@order pages, every page through the device */
static int wl_edu_coherent_pass(unsigned int order, unsigned long n)
{
	size_t size = PAGE_SIZE << order;
	dma_addr_t *dma;
	void **va;
	unsigned long i, j;
	int ret = 0;

	va = kcalloc(n, sizeof(*va), GFP_KERNEL);
	dma = kcalloc(n, sizeof(*dma), GFP_KERNEL);
	if (!va || !dma) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		va[i] = dma_alloc_coherent(wl_dev, size, &dma[i], GFP_KERNEL);
		if (!va[i]) {
			wl_last.failed++;
			continue;
		}
		wl_last.populated++;
		for (j = 0; j < (1UL << order); j++) {
			dma_addr_t d = dma[i] + j * PAGE_SIZE;

			wl_last.above += d + PAGE_SIZE - 1 >
					 wl_dev->coherent_dma_mask;
			wl_edu_check_page(va[i] + j * PAGE_SIZE, d,
					  (u32)(i << 16 | j), &wl_last);
		}
	}
	for (i = 0; i < n; i++)
		if (va[i])
			dma_free_coherent(wl_dev, size, va[i], dma[i]);
out:
	kfree(va);
	kfree(dma);
	return ret;
}

static int wl_edu_coherent(unsigned int order, unsigned long n)
{
	int ret;

	if (!wl_edu || order > MAX_PAGE_ORDER || !n || n > 64)
		return -EINVAL;
	memset(&wl_last, 0, sizeof(wl_last));
	ret = wl_edu_coherent_pass(order, n);
	return ret ?: wl_edu_coherent_pass(order, n);
}

/* The check can fail: a page the device reaches at another address */
static int wl_edu_selftest(void)
{
	dma_addr_t dma;
	void *va;

	if (!wl_edu)
		return -EINVAL;
	memset(&wl_last, 0, sizeof(wl_last));
	va = dma_alloc_coherent(wl_dev, 2 * PAGE_SIZE, &dma, GFP_KERNEL);
	if (!va)
		return -ENOMEM;
	wl_edu_check_page(va, dma + PAGE_SIZE, 0x5e1f7e57, &wl_last);
	dma_free_coherent(wl_dev, 2 * PAGE_SIZE, va, dma);
	return 0;
}

static int wl_run(char *cmd)
{
	unsigned long nr, kib;
	unsigned int order;

	if (sscanf(cmd, "create %lu %lu", &nr, &kib) == 2)
		return wl_create(nr, kib);
	if (sscanf(cmd, "use %lu", &nr) == 1)
		return wl_use_nr(nr);
	if (sscanf(cmd, "coherent %u %lu", &order, &nr) == 2)
		return wl_edu_coherent(order, nr);
	if (sysfs_streq(cmd, "selftest"))
		return wl_edu_selftest();
	if (sysfs_streq(cmd, "destroy")) {
		wl_destroy();
		return 0;
	}
	return -EINVAL;
}

static ssize_t wl_run_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return xtest_cmd_write(ubuf, len, &wl_lock, wl_run);
}

static const struct file_operations wl_run_fops = {
	.owner = THIS_MODULE,
	.write = wl_run_write,
};

static ssize_t wl_result_read(struct file *file, char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[400];
	int n;

	mutex_lock(&wl_lock);
	n = scnprintf(buf, sizeof(buf),
		      "populated=%lu swapped_in=%lu failed=%lu failed_nomem=%lu above=%lu dma_other=%lu corrupt=%lu error=%d ms=%llu model=%s dma_bits=%d use_dma_alloc=%d use_dma32=%d edu_pages=%lu edu_mismatch=%lu edu_timeout=%lu\n",
		      wl_last.populated, wl_last.swapped_in,
		      wl_last.failed, wl_last.failed_nomem, wl_last.above,
		      wl_last.dma_other, wl_last.corrupt,
		      wl_last.first_error, wl_last.ms, model, dma_bits,
		      wl_use_dma_alloc, wl_use_dma32, wl_last.edu_pages,
		      wl_last.edu_mismatch, wl_last.edu_timeout);
	mutex_unlock(&wl_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations wl_result_fops = {
	.owner = THIS_MODULE,
	.read = wl_result_read,
};

/*
 * Widths the drivers set: radeon 32 (need_dma32) or 40, amdgpu 40 (gmc v6
 * to v8), 44 or 48 (gmc v9 on), nouveau its MMU's (32 and up), the VRAM
 * helpers none (32 here: the bus's default)
 */
static bool wl_model_width_ok(void)
{
	if (!strcmp(model, "radeon"))
		return dma_bits == 32 || dma_bits == 40;
	if (!strcmp(model, "amdgpu"))
		return dma_bits == 40 || dma_bits == 44 || dma_bits == 48;
	if (!strcmp(model, "nouveau"))
		return dma_bits >= 32 && dma_bits <= 64;
	if (!strcmp(model, "edu"))
		return dma_bits >= 24 && dma_bits <= 32;
	return dma_bits == 32;
}

/* Check model= and dma_bits=, and fill in the model's default width */
static int wl_check_model(void)
{
	if (strcmp(model, "radeon") && strcmp(model, "amdgpu") &&
	    strcmp(model, "nouveau") && strcmp(model, "vram") &&
	    strcmp(model, "edu")) {
		pr_err("ttm_workload: model=%s: not radeon, amdgpu, nouveau, vram or edu\n",
		       model);
		return -EINVAL;
	}
	if (!strcmp(model, "edu") && !device) {
		pr_err("ttm_workload: model=edu needs device=, an edu's PCI name\n");
		return -EINVAL;
	}
	if (!dma_bits)
		dma_bits = !strcmp(model, "amdgpu") ? 44 :
			   !strcmp(model, "edu") ? 28 : 32;
	if (!wl_model_width_ok()) {
		pr_err("ttm_workload: dma_bits=%d: not a width %s uses\n",
		       dma_bits, model);
		return -EINVAL;
	}
	return 0;
}

/* The GPU: the PCI device asked for, else a device of our own */
static int wl_find_device(void)
{
	int ret;

	if (device) {
		struct pci_dev *pdev = NULL;

		for_each_pci_dev(pdev)
			if (!strcmp(pci_name(pdev), device)) {
				wl_pci = pdev;
				wl_dev = &pdev->dev;
				break;
			}
		if (!wl_dev) {
			pr_err("ttm_workload: no PCI device %s\n", device);
			return -ENODEV;
		}
	} else {
		wl_pdev = platform_device_register_simple("ttm_workload", -1,
							  NULL, 0);
		if (IS_ERR(wl_pdev))
			return PTR_ERR(wl_pdev);
		wl_dev = &wl_pdev->dev;
	}
	/* The VRAM helpers leave the mask as the bus set it */
	if (!strcmp(model, "vram"))
		return wl_pci ? 0 : dma_coerce_mask_and_coherent(wl_dev,
							DMA_BIT_MASK(32));
	if (!wl_pci)
		return dma_coerce_mask_and_coherent(wl_dev,
						    DMA_BIT_MASK(dma_bits));
	ret = dma_set_mask_and_coherent(wl_dev, DMA_BIT_MASK(dma_bits));
	/* nouveau falls back to 32 bits (nvkm/engine/device/pci.c) */
	if (ret && !strcmp(model, "nouveau")) {
		dma_bits = 32;
		ret = dma_set_mask_and_coherent(wl_dev, DMA_BIT_MASK(32));
	}
	return ret;
}

/* use_dma_alloc and use_dma32 as the model's driver computes them */
static void wl_model_ttm_args(void)
{
	wl_vram = !strcmp(model, "vram");
	if (wl_vram) {
		wl_use_dma_alloc = false;
		wl_use_dma32 = true;
	} else if (!strcmp(model, "nouveau") || !strcmp(model, "edu")) {
		wl_use_dma_alloc = drm_need_swiotlb(dma_bits);
		wl_use_dma32 = dma_bits <= 32;
	} else {
		wl_use_dma_alloc = drm_need_swiotlb(dma_bits);
		wl_use_dma32 = dma_addressing_limited(wl_dev);
	}
}

/* Map the edu's registers and let it master the bus */
static int wl_edu_setup(void)
{
	int ret;

	wl_edu = !strcmp(model, "edu");
	if (!wl_edu)
		return 0;
	if (wl_pci->vendor != EDU_VENDOR || wl_pci->device != EDU_DEVICE) {
		pr_err("ttm_workload: %s is not an edu device\n", device);
		return -ENODEV;
	}
	ret = pci_enable_device(wl_pci);
	if (ret)
		return ret;
	wl_edu_mmio = pci_iomap(wl_pci, 0, 0);
	if (!wl_edu_mmio) {
		pci_disable_device(wl_pci);
		return -ENOMEM;
	}
	pci_set_master(wl_pci);
	pr_info("ttm_workload: edu %s, id %#x\n", device,
		readl(wl_edu_mmio + EDU_ID));
	return 0;
}

static void wl_put_device(void)
{
	if (wl_edu_mmio) {
		pci_clear_master(wl_pci);
		pci_iounmap(wl_pci, wl_edu_mmio);
		pci_disable_device(wl_pci);
		wl_edu_mmio = NULL;
	}
	if (wl_pdev)
		platform_device_unregister(wl_pdev);
	pci_dev_put(wl_pci);
}

static int __init wl_init(void)
{
	int ret;

	ret = wl_check_model();
	if (ret)
		return ret;
	ret = wl_find_device();
	if (ret)
		goto err_dev;
	ret = wl_edu_setup();
	if (ret)
		goto err_dev;
	wl_model_ttm_args();
	drm_vma_offset_manager_init(&wl_vma, 0, 16);
	ret = ttm_device_init(&wl_bdev, &wl_funcs, wl_dev, NULL, &wl_vma,
			      wl_use_dma_alloc, wl_use_dma32);
	if (ret)
		goto err_vma;
	pr_info("ttm_workload: %s as %s: dma_bits=%d use_dma_alloc=%d use_dma32=%d\n",
		dev_name(wl_dev), model, dma_bits, wl_use_dma_alloc,
		wl_use_dma32);
	wl_dir = debugfs_create_dir("ttm_workload", NULL);
	debugfs_create_file("run", 0200, wl_dir, NULL, &wl_run_fops);
	debugfs_create_file("result", 0400, wl_dir, NULL, &wl_result_fops);
	return 0;

err_vma:
	drm_vma_offset_manager_destroy(&wl_vma);
err_dev:
	wl_put_device();
	return ret;
}

static void __exit wl_exit(void)
{
	debugfs_remove_recursive(wl_dir);
	wl_destroy();
	ttm_device_fini(&wl_bdev);
	drm_vma_offset_manager_destroy(&wl_vma);
	wl_put_device();
}

module_init(wl_init);
module_exit(wl_exit);
MODULE_DESCRIPTION("DMA32 TTM buffer workload for the quota scenarios");
MODULE_LICENSE("GPL");
