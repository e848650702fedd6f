// SPDX-License-Identifier: GPL-2.0
/*
 * gnt-hold <domid> <refs>: map the grant references <refs> of domain <domid>
 * (a list such as "8-1031,1040") into this process, print "mapped <n>" and
 * keep them mapped until killed.  What any domain with a grant mapping
 * does: while it holds the mapping, Xen cannot free the granting domain's
 * frames, not even after that domain is destroyed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xengnttab.h>

#define MAX_REFS 65536

/* Parse "a-b,c" into refs; the count, or -1 on a malformed list. */
static int parse_refs(const char *list, uint32_t *refs)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long first = strtoul(tok, &end, 10), last = first;

		if (*end == '-')
			last = strtoul(end + 1, &end, 10);
		if (*end || last < first || n + (last - first) >= MAX_REFS) {
			n = -1;
			break;
		}
		while (first <= last)
			refs[n++] = first++;
	}
	free(copy);
	return n;
}

int main(int argc, char **argv)
{
	static uint32_t refs[MAX_REFS];
	xengnttab_handle *gt;
	unsigned char *map;
	unsigned long sum = 0;
	int n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: gnt-hold <domid> <refs, e.g. 8-1031,1040>\n");
		return 2;
	}
	n = parse_refs(argv[2], refs);
	if (n <= 0) {
		fprintf(stderr, "gnt-hold: bad reference list '%s'\n", argv[2]);
		return 2;
	}
	gt = xengnttab_open(NULL, 0);
	if (!gt) {
		perror("gnt-hold: xengnttab_open");
		return 1;
	}
	map = xengnttab_map_domain_grant_refs(gt, n, atoi(argv[1]), refs,
					      PROT_READ | PROT_WRITE);
	if (!map) {
		fprintf(stderr, "gnt-hold: mapping %d references of domain %s: %s\n",
			n, argv[1], strerror(errno));
		return 1;
	}
	/* Touch every page: the mapping is real, not just reserved. */
	for (i = 0; i < n; i++)
		sum += map[(size_t)i * 4096];
	printf("mapped %d\n", n);
	fflush(stdout);
	(void)sum;
	pause();
	return 0;
}
