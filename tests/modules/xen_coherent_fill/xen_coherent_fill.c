// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: coherent allocations for a device that reaches only the
 * first 4GiB, as a GPU driver makes them under Xen PV (through xen-swiotlb).
 * Writing "fill <n> <order>" to debugfs xen_coherent_fill/run allocates n
 * buffers of 1 << order pages and frees them again, which leaves their
 * frames in xen-swiotlb's pools; "status" says how many it got.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <xen/xen.h>

#include "xtest_cmd.h"

static struct device *fill_dev;
static struct dentry *fill_dir;
static DEFINE_MUTEX(fill_lock);
static unsigned long last_allocated, last_failed;

struct fill_buf {
	void *vaddr;
	dma_addr_t dma;
};

/* Allocate @n buffers of @order, then free them; how many were allocated */
static unsigned long fill(unsigned long n, unsigned int order)
{
	size_t size = PAGE_SIZE << order;
	struct fill_buf *bufs;
	unsigned long i, got = 0;

	bufs = kvcalloc(n, sizeof(*bufs), GFP_KERNEL);
	if (!bufs)
		return 0;
	for (i = 0; i < n; i++) {
		bufs[i].vaddr = dma_alloc_coherent(fill_dev, size, &bufs[i].dma,
						   GFP_KERNEL);
		if (bufs[i].vaddr)
			got++;
	}
	for (i = 0; i < n; i++)
		if (bufs[i].vaddr)
			dma_free_coherent(fill_dev, size, bufs[i].vaddr,
					  bufs[i].dma);
	kvfree(bufs);
	return got;
}

/* "fill <n> <order>" */
static int fill_run(char *cmd)
{
	unsigned long n;
	unsigned int order;

	if (sscanf(cmd, "fill %lu %u", &n, &order) != 2 || order > 9 ||
	    n > 65536)
		return -EINVAL;
	last_allocated = fill(n, order);
	last_failed = n - last_allocated;
	return 0;
}

static ssize_t run_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	return xtest_cmd_write(ubuf, len, &fill_lock, fill_run);
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
};

static int status_show(struct seq_file *m, void *data)
{
	seq_printf(m, "allocated=%lu failed=%lu\n", last_allocated,
		   last_failed);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int __init fill_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;
	fill_dev = root_device_register("xen_coherent_fill");
	if (IS_ERR(fill_dev))
		return PTR_ERR(fill_dev);
	fill_dev->coherent_dma_mask = DMA_BIT_MASK(32);
	fill_dir = debugfs_create_dir("xen_coherent_fill", NULL);
	debugfs_create_file("run", 0200, fill_dir, NULL, &run_fops);
	debugfs_create_file("status", 0444, fill_dir, NULL, &status_fops);
	return 0;
}

static void __exit fill_exit(void)
{
	debugfs_remove_recursive(fill_dir);
	root_device_unregister(fill_dev);
}

module_init(fill_init);
module_exit(fill_exit);
MODULE_DESCRIPTION("Coherent allocations below 4GiB through xen-swiotlb (test helper)");
MODULE_LICENSE("GPL");
