// SPDX-License-Identifier: GPL-2.0
/*
 * drm-dumb-roundtrip: dumb buffers through TTM, byte for byte.
 *
 * Creates dumb buffers of the display's mode size until they total more
 * than -m MiB (the scenario passes more than the device's VRAM), maps each
 * one twice, writes a pattern through one mapping and reads it back through
 * the other: first in system memory, then after scanning the buffer out
 * (which pins it in VRAM: later reads go through TTM's I/O memory mapping),
 * then in later rounds wherever TTM has evicted it to.  Each round rewrites
 * every buffer with that round's pattern.  The last buffer stays on screen
 * until a line arrives on stdin, so that the host can check the picture.
 *
 * Pattern: 32-bit word k of buffer b in round r is pattern_word(seed + r,
 * b, k); tests/screen-check.py computes the same for the displayed pixels.
 *
 * Output (key=value, one line each):
 *   DUMB mode=<w>x<h> pitch=<bytes> size=<bytes> buffers=<n>
 *   DUMB-SHOWN buffer=<b> seed=<seed + last round> pitch=<bytes> mode=<w>x<h>
 *   DUMB-RESULT buffers=<n> rounds=<r> shows=<n> bytes_verified=<n>
 *               mismatches=<n>
 * Exit status: 0 when every byte read back was the byte written.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

struct dumb {
	uint32_t handle;
	uint32_t fb;
	uint32_t *map[2];
};

struct display {
	int fd;
	uint32_t crtc;
	uint32_t connector;
	drmModeModeInfo mode;
	uint32_t pitch;
	uint64_t size;
};

static uint64_t bytes_verified, mismatches;

/* The pattern's word @k of buffer @b: a hash, so no two words repeat */
static uint32_t pattern_word(uint32_t seed, uint32_t b, uint32_t k)
{
	uint32_t x = k * 0x9e3779b1u + b * 0x85ebca77u + seed;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

static void fill(uint32_t *map, uint64_t size, uint32_t seed, uint32_t b)
{
	uint64_t k;

	for (k = 0; k < size / 4; k++)
		map[k] = pattern_word(seed, b, k);
}

/* Compare a whole buffer with its pattern; report the first difference */
static int verify(const uint32_t *map, uint64_t size, uint32_t seed,
		  uint32_t b, const char *where)
{
	uint64_t k, bad = 0;

	for (k = 0; k < size / 4; k++) {
		uint32_t want = pattern_word(seed, b, k);

		if (map[k] == want)
			continue;
		if (!bad)
			fprintf(stderr, "buffer %u %s: word %" PRIu64
				" is %08x, not %08x\n", b, where, k, map[k],
				want);
		bad++;
	}
	bytes_verified += size;
	mismatches += bad;
	return bad ? -1 : 0;
}

/* The first connected connector, its mode (preferred if any) and a CRTC */
static int find_display(struct display *d)
{
	drmModeRes *res = drmModeGetResources(d->fd);
	int i, j, rc = -1;

	if (!res)
		return -1;
	for (i = 0; i < res->count_connectors && rc; i++) {
		drmModeConnector *c = drmModeGetConnector(d->fd,
							  res->connectors[i]);

		if (c && c->connection == DRM_MODE_CONNECTED &&
		    c->count_modes && res->count_crtcs) {
			d->connector = c->connector_id;
			d->mode = c->modes[0];
			for (j = 0; j < c->count_modes; j++)
				if (c->modes[j].type & DRM_MODE_TYPE_PREFERRED) {
					d->mode = c->modes[j];
					break;
				}
			d->crtc = res->crtcs[0];
			rc = 0;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return rc;
}

static void *map_dumb(int fd, uint64_t offset, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       offset);

	return p == MAP_FAILED ? NULL : p;
}

/* A dumb buffer of the mode's size, a framebuffer on it, mapped twice */
static int create_dumb(struct display *d, struct dumb *db)
{
	struct drm_mode_create_dumb create = {
		.width = d->mode.hdisplay,
		.height = d->mode.vdisplay,
		.bpp = 32,
	};
	struct drm_mode_map_dumb map = { 0 };

	if (drmIoctl(d->fd, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		return -1;
	db->handle = create.handle;
	d->pitch = create.pitch;
	d->size = create.size;
	map.handle = create.handle;
	if (drmModeAddFB(d->fd, create.width, create.height, 24, 32,
			 create.pitch, create.handle, &db->fb) ||
	    drmIoctl(d->fd, DRM_IOCTL_MODE_MAP_DUMB, &map))
		return -1;
	db->map[0] = map_dumb(d->fd, map.offset, create.size);
	db->map[1] = map_dumb(d->fd, map.offset, create.size);
	return db->map[0] && db->map[1] ? 0 : -1;
}

static void destroy_dumb(struct display *d, struct dumb *db)
{
	struct drm_mode_destroy_dumb destroy = { .handle = db->handle };
	int i;

	for (i = 0; i < 2; i++)
		if (db->map[i])
			munmap(db->map[i], d->size);
	if (db->fb)
		drmModeRmFB(d->fd, db->fb);
	if (db->handle)
		drmIoctl(d->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
}

/* Scan @db out: the driver pins it in VRAM, evicting others if need be */
static int show(struct display *d, struct dumb *db)
{
	return drmModeSetCrtc(d->fd, d->crtc, db->fb, 0, 0, &d->connector, 1,
			      &d->mode);
}

static void usage(const char *name)
{
	fprintf(stderr, "usage: %s -m <MiB> [-D <card>] [-r <rounds>] [-s <seed>]\n",
		name);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *card = "/dev/dri/card0";
	unsigned long mib = 0, rounds = 2, seed = 1, shows = 0;
	struct display d = { 0 };
	struct dumb *dumbs;
	unsigned long n = 0, want = 0, b, r;
	struct dumb *grown;
	char line[16];
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "D:m:r:s:")) != -1) {
		switch (opt) {
		case 'D': card = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'r': rounds = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		default: usage(argv[0]);
		}
	}
	if (!mib || !rounds)
		usage(argv[0]);

	d.fd = open(card, O_RDWR | O_CLOEXEC);
	if (d.fd < 0 || drmSetMaster(d.fd) || find_display(&d)) {
		fprintf(stderr, "%s: no display to drive: %s\n", card,
			strerror(errno));
		return 1;
	}
	/* The first buffer tells the size; as many as exceed @mib MiB */
	dumbs = calloc(1, sizeof(*dumbs));
	if (!dumbs)
		goto out;
	n = 1;
	if (create_dumb(&d, &dumbs[0]))
		goto out_create;
	want = (mib << 20) / d.size + 1;
	grown = realloc(dumbs, want * sizeof(*dumbs));
	if (!grown)
		goto out;
	dumbs = grown;
	memset(dumbs + 1, 0, (want - 1) * sizeof(*dumbs));
	for (; n < want; n++)
		if (create_dumb(&d, &dumbs[n])) {
			n++;
			goto out_create;
		}
	printf("DUMB mode=%ux%u pitch=%u size=%" PRIu64 " buffers=%lu\n",
	       d.mode.hdisplay, d.mode.vdisplay, d.pitch, d.size, n);

	for (r = 0; r < rounds; r++) {
		for (b = 0; b < n; b++) {
			struct dumb *db = &dumbs[b];
			uint32_t s = seed + r;

			/* Where the last round left it: VRAM or evicted */
			if (r)
				verify(db->map[1], d.size, s - 1, b, "as left");
			fill(db->map[r & 1], d.size, s, b);
			verify(db->map[!(r & 1)], d.size, s, b, "other map");
			if (show(&d, db)) {
				fprintf(stderr, "showing buffer %lu: %s\n", b,
					strerror(errno));
				goto out;
			}
			shows++;
			verify(db->map[r & 1], d.size, s, b, "after scan-out");
		}
	}
	rc = mismatches ? 1 : 0;
	printf("DUMB-SHOWN buffer=%lu seed=%lu pitch=%u mode=%ux%u\n", n - 1,
	       seed + rounds - 1, d.pitch, d.mode.hdisplay, d.mode.vdisplay);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	goto out;
out_create:
	fprintf(stderr, "dumb buffer %lu of %lu: %s\n", n, want ? want : 1,
		strerror(errno));
out:
	printf("DUMB-RESULT buffers=%lu rounds=%lu shows=%lu bytes_verified=%"
	       PRIu64 " mismatches=%" PRIu64 "\n", n, rounds, shows,
	       bytes_verified, mismatches);
	for (b = 0; dumbs && b < n; b++)
		destroy_dumb(&d, &dumbs[b]);
	free(dumbs);
	close(d.fd);
	return rc;
}
