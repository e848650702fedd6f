/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test modules' debugfs command files: one command per write, run
 * under the module's lock, as a driver runs one ioctl.
 */
#ifndef XTEST_CMD_H
#define XTEST_CMD_H

#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Run the command written (at most 63 bytes) with @run, under @lock */
static inline ssize_t xtest_cmd_write(const char __user *ubuf, size_t len,
				      struct mutex *lock,
				      int (*run)(char *cmd))
{
	char *cmd;
	int rc;

	cmd = memdup_user_nul(ubuf, min_t(size_t, len, 63));
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	mutex_lock(lock);
	rc = run(cmd);
	mutex_unlock(lock);
	kfree(cmd);
	return rc ? rc : len;
}

#endif /* XTEST_CMD_H */
