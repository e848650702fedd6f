// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for a Xen PV guest: take machine frames below 4GiB from Xen,
 * one raw XENMEM_exchange (address_bits=32) per page, until Xen refuses,
 * and give them back on request.  It does what any guest kernel could do,
 * so it shows that the DMA32 quota is enforced by the hypervisor.
 *
 * debugfs, under xen_dma32_grab/:
 *   grab     write anything: exchange pages until Xen refuses (or max_pages)
 *   release  write N: exchange N held frames back for unrestricted ones
 *   status   read: held, granted and refused in the last grab, bad frames
 *   grant    write a domid: grant that domain access to every held page;
 *            read: the grant references, as ranges ("8-1031,1040")
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>
#include <xen/grant_table.h>
#include <xen/interface/memory.h>
#include <xen/mem-reservation.h>
#include <xen/xen.h>

#define DMA32_LIMIT_MFN (1UL << (32 - PAGE_SHIFT))

static unsigned long max_pages = 65536;
module_param(max_pages, ulong, 0444);
MODULE_PARM_DESC(max_pages, "Most pages held at once");

static LIST_HEAD(held_list);
static unsigned long held, granted, refused, bad;
static DEFINE_MUTEX(grab_lock);
static struct dentry *grab_dir;

/* Exchange the frame behind @page for one allowed by @address_bits. */
static int exchange_page(struct page *page, unsigned int address_bits)
{
	unsigned long vaddr = (unsigned long)page_address(page);
	xen_pfn_t in = pfn_to_mfn(page_to_pfn(page));
	xen_pfn_t out = page_to_pfn(page);
	struct xen_memory_exchange exch = {
		.in = { .nr_extents = 1, .domid = DOMID_SELF },
		.out = { .nr_extents = 1, .address_bits = address_bits,
			 .domid = DOMID_SELF },
	};
	int rc;

	set_xen_guest_handle(exch.in.extent_start, &in);
	set_xen_guest_handle(exch.out.extent_start, &out);

	/* Xen only takes a frame nobody maps. */
	if (HYPERVISOR_update_va_mapping(vaddr, __pte_ma(0),
					 UVMF_INVLPG | UVMF_ALL))
		return -EFAULT;

	rc = HYPERVISOR_memory_op(XENMEM_exchange, &exch);
	if (rc || exch.nr_exchanged != 1)
		out = in;	/* nothing changed: map the old frame again */
	xenmem_reservation_va_mapping_update(1, &page, &out);

	return rc ? rc : (exch.nr_exchanged == 1 ? 0 : -ENOMEM);
}

static int grab_one(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	int rc;

	if (!page)
		return -ENOMEM;
	rc = exchange_page(page, 32);
	if (rc) {
		__free_page(page);
		return rc;
	}
	if (pfn_to_mfn(page_to_pfn(page)) >= DMA32_LIMIT_MFN)
		bad++;
	list_add(&page->lru, &held_list);
	held++;
	return 0;
}

/* A held page's grant reference is kept in page->private, plus one. */
static bool page_granted(struct page *page)
{
	return page_private(page) != 0;
}

static grant_ref_t page_gref(struct page *page)
{
	return page_private(page) - 1;
}

static void release_one(void)
{
	struct page *page = list_first_entry(&held_list, struct page, lru);

	list_del(&page->lru);
	held--;
	if (page_granted(page)) {
		grant_ref_t ref = page_gref(page);

		set_page_private(page, 0);
		if (!gnttab_try_end_foreign_access(ref)) {
			/* Still mapped: grant code frees it once it is not. */
			gnttab_end_foreign_access(ref, page);
			return;
		}
	}
	/* If Xen cannot give an unrestricted frame, give the page back as is. */
	exchange_page(page, 0);
	__free_page(page);
}

static ssize_t grab_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	int rc = 0;

	mutex_lock(&grab_lock);
	granted = 0;
	refused = 0;
	while (held < max_pages) {
		rc = grab_one();
		if (rc)
			break;
		granted++;
	}
	if (rc == -ENOMEM)
		refused = 1;
	pr_info("xen_dma32_grab: granted %lu pages below 4GiB, %s, held %lu, bad %lu\n",
		granted, refused ? "then refused" : "not refused", held, bad);
	mutex_unlock(&grab_lock);

	return len;
}

static ssize_t release_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	unsigned long nr;
	int rc;

	rc = kstrtoul_from_user(buf, len, 0, &nr);
	if (rc)
		return rc;

	mutex_lock(&grab_lock);
	while (nr-- && held)
		release_one();
	mutex_unlock(&grab_lock);

	return len;
}

static ssize_t grant_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	struct page *page;
	unsigned int domid;
	int rc;

	rc = kstrtouint_from_user(buf, len, 0, &domid);
	if (rc)
		return rc;
	if (domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;

	/* In grab order, as grant_show() lists them: references ascend. */
	mutex_lock(&grab_lock);
	list_for_each_entry_reverse(page, &held_list, lru) {
		if (page_granted(page))
			continue;
		rc = gnttab_grant_foreign_access(domid, xen_page_to_gfn(page), 0);
		if (rc < 0)
			break;
		set_page_private(page, rc + 1);
		rc = 0;
	}
	mutex_unlock(&grab_lock);

	return rc ? rc : len;
}

static void grant_range_show(struct seq_file *m, grant_ref_t first,
			     grant_ref_t last, bool more)
{
	if (first == last)
		seq_printf(m, "%u", first);
	else
		seq_printf(m, "%u-%u", first, last);
	seq_putc(m, more ? ',' : '\n');
}

/* The held pages' references in grab order, consecutive ones as a range. */
static int grant_show(struct seq_file *m, void *unused)
{
	grant_ref_t first = 0, last = 0;
	bool open = false;
	struct page *page;

	mutex_lock(&grab_lock);
	list_for_each_entry_reverse(page, &held_list, lru) {
		grant_ref_t ref = page_gref(page);

		if (!page_granted(page))
			continue;
		if (open && ref == last + 1) {
			last = ref;
			continue;
		}
		if (open)
			grant_range_show(m, first, last, true);
		first = ref;
		last = ref;
		open = true;
	}
	if (open)
		grant_range_show(m, first, last, false);
	else
		seq_putc(m, '\n');
	mutex_unlock(&grab_lock);
	return 0;
}

static int grant_open(struct inode *inode, struct file *file)
{
	return single_open(file, grant_show, NULL);
}

static int status_show(struct seq_file *m, void *unused)
{
	mutex_lock(&grab_lock);
	seq_printf(m, "held=%lu granted=%lu refused=%lu bad=%lu\n",
		   held, granted, refused, bad);
	mutex_unlock(&grab_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static const struct file_operations grab_fops = {
	.owner = THIS_MODULE,
	.write = grab_write,
};

static const struct file_operations grant_fops = {
	.owner = THIS_MODULE,
	.write = grant_write,
	.open = grant_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations release_fops = {
	.owner = THIS_MODULE,
	.write = release_write,
};

static int __init grab_init(void)
{
	if (!xen_pv_domain())
		return -ENODEV;

	grab_dir = debugfs_create_dir("xen_dma32_grab", NULL);
	debugfs_create_file("grab", 0200, grab_dir, NULL, &grab_fops);
	debugfs_create_file("release", 0200, grab_dir, NULL, &release_fops);
	debugfs_create_file("status", 0444, grab_dir, NULL, &status_fops);
	debugfs_create_file("grant", 0600, grab_dir, NULL, &grant_fops);
	return 0;
}

static void __exit grab_exit(void)
{
	debugfs_remove_recursive(grab_dir);
	mutex_lock(&grab_lock);
	while (held)
		release_one();
	mutex_unlock(&grab_lock);
}

module_init(grab_init);
module_exit(grab_exit);
MODULE_DESCRIPTION("Take frames below 4GiB from Xen until refused (test helper)");
MODULE_LICENSE("GPL");
