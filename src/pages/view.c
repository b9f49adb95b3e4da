/*
 * view.c - see view.h.
 */
#include "pages/view.h"

#include <string.h>

#include "arena.h"
#include "valid.h"

#define UUID_LEN 36

static char pending[VIEW_FLUSH_MAX][UUID_LEN + 1];
static int npending;
static long long first_ms;    /* when the oldest pending view was recorded */

void
view_record(const char *id, long long now_ms)
{
	if (id == NULL || strlen(id) != UUID_LEN || !valid_uuid(id, UUID_LEN))
		return;
	if (npending == VIEW_FLUSH_MAX)
		return;    /* only if nobody took a due batch: the statement was never sent */
	if (npending == 0)
		first_ms = now_ms;
	memcpy(pending[npending++], id, UUID_LEN + 1);
}

const char *
view_take_due(struct arena *a, long long now_ms)
{
	if (npending == 0 || (npending < VIEW_FLUSH_MAX && now_ms - first_ms < VIEW_FLUSH_MS))
		return "{}";
	char *s = arena_alloc(a, (size_t)npending * (UUID_LEN + 1) + 2), *p = s;
	*p++ = '{';
	for (int i = 0; i < npending; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, pending[i], UUID_LEN);
		p += UUID_LEN;
	}
	*p++ = '}';
	*p = '\0';
	npending = 0;
	return s;
}

int
view_pending(void)
{
	return npending;
}
