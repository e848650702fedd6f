/*
 * A libxl client built against Debian's unpatched libxen-dev headers (stock
 * Xen 4.20) and run in dom0 against our libxenlight.so.4.20: the structs it
 * allocates must be the size the library fills.  Each struct sits in a
 * buffer of its stock size followed by guard bytes that no call may touch;
 * libxl_list_domain()'s array is read with the stock stride.
 *
 *   libxl-abi <domid of a running guest> <its name>
 *
 * Prints "ok: <what>" or "FAIL: <what>" per check, the domids it listed
 * ("domids: 0 3"), and last "libxl-abi: <n> checks, <m> failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <xentoollog.h>

#define GUARD 512
#define GUARD_BYTE 0xa5

static int checks, failed;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok)
        failed++;
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
}

/* A zeroed buffer of @size bytes, then GUARD guard bytes */
static void *guarded(size_t size)
{
    unsigned char *p = calloc(1, size + GUARD);

    if (!p) {
        perror("calloc");
        exit(2);
    }
    memset(p + size, GUARD_BYTE, GUARD);
    return p;
}

/* Are the guard bytes after @size bytes untouched? */
static int guard_intact(const void *buf, size_t size)
{
    const unsigned char *g = (const unsigned char *)buf + size;
    size_t i;

    for (i = 0; i < GUARD; i++)
        if (g[i] != GUARD_BYTE)
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    xentoollog_logger_stdiostream *logger;
    libxl_ctx *ctx;
    libxl_physinfo *phys;
    libxl_dominfo *info, *list;
    libxl_domain_config *cfg;
    uint32_t guest;
    int i, nb, rc;

    if (argc != 3) {
        fprintf(stderr, "usage: libxl-abi <guest domid> <guest name>\n");
        return 2;
    }
    guest = strtoul(argv[1], NULL, 0);

    logger = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                        (xentoollog_logger *)logger)) {
        fprintf(stderr, "libxl_ctx_alloc failed\n");
        return 2;
    }

    phys = guarded(sizeof(*phys));
    libxl_physinfo_init(phys);
    rc = libxl_get_physinfo(ctx, phys);
    check(!rc && phys->total_pages && phys->nr_cpus,
          "libxl_get_physinfo() answers");
    check(guard_intact(phys, sizeof(*phys)),
          "libxl_get_physinfo() writes no byte past the stock libxl_physinfo");
    printf("total_pages: %llu\n", (unsigned long long)phys->total_pages);
    libxl_physinfo_dispose(phys);

    info = guarded(sizeof(*info));
    libxl_dominfo_init(info);
    rc = libxl_domain_info(ctx, info, guest);
    check(!rc && info->domid == guest, "libxl_domain_info() of the guest");
    check(guard_intact(info, sizeof(*info)),
          "libxl_domain_info() writes no byte past the stock libxl_dominfo");
    libxl_dominfo_dispose(info);

    list = libxl_list_domain(ctx, &nb);
    check(list && nb >= 2, "libxl_list_domain() lists dom0 and the guest");
    printf("domids:");
    for (i = 0; list && i < nb; i++)
        printf(" %u", list[i].domid);
    printf("\n");
    for (i = 0; list && i < nb && list[i].domid != guest; i++)
        ;
    check(list && i < nb && list[i].current_memkb > 0 &&
          list[i].max_memkb >= list[i].current_memkb,
          "libxl_list_domain(): the guest's entry read with the stock "
          "stride has its memory figures");
    if (list)
        libxl_dominfo_list_free(list, nb);

    cfg = guarded(sizeof(*cfg));
    libxl_domain_config_init(cfg);
    check(guard_intact(cfg, sizeof(*cfg)),
          "libxl_domain_config_init() writes no byte past the stock "
          "libxl_domain_config");
    rc = libxl_retrieve_domain_configuration(ctx, guest, cfg, NULL);
    check(!rc && cfg->c_info.name && !strcmp(cfg->c_info.name, argv[2]) &&
          cfg->b_info.max_memkb > 0 && cfg->b_info.max_vcpus > 0,
          "libxl_retrieve_domain_configuration(): name, memory and vCPUs "
          "where the stock headers put them");
    check(guard_intact(cfg, sizeof(*cfg)),
          "libxl_retrieve_domain_configuration() writes no byte past the "
          "stock libxl_domain_config");
    libxl_domain_config_dispose(cfg);

    libxl_ctx_free(ctx);
    xtl_logger_destroy((xentoollog_logger *)logger);
    printf("libxl-abi: %d checks, %d failed\n", checks, failed);
    return failed ? 1 : 0;
}
