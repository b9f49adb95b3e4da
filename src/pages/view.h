/*
 * view.h - video page views, buffered per worker and written in bulk.
 *
 * Why buffered: counting a view with `UPDATE videos SET view_count + 1`
 * would serialise every viewer of a popular video on that row's lock and
 * churn the videos table; even one INSERT per view (video_view_events, 008)
 * would make every video page a write transaction waiting for its WAL flush.
 * So a worker keeps the ids of the videos it showed in memory and hands them
 * over in one batch, at most every VIEW_FLUSH_MS or VIEW_FLUSH_MAX views,
 * riding on the video page's second statement (DB_VIDEO_EXTRAS inserts the
 * batch into video_view_events in a data-modifying CTE): no extra round trip
 * ever, and a commit that waits for the disk only once per batch.
 *
 * Folding the events into videos.view_count is not done here:
 * marquee_flush_video_views() (migration 008) does it in one statement; the
 * operator runs it periodically (cron or the local stack's loop, as the
 * owner or the app role: `SELECT marquee_flush_video_views()`).
 *
 * Losses, by design and bounded: a worker that exits (recycling after
 * max_requests, a crash, a reload) drops at most VIEW_FLUSH_MAX - 1 views;
 * a failed statement drops its batch rather than risk counting it twice.
 * Pages served from nginx's micro-cache are not counted (the player's
 * progress beacons of issue 6 count plays exactly).
 *
 * Per-process state, single-threaded like the worker.
 */
#ifndef MARQUEE_VIEW_H
#define MARQUEE_VIEW_H

struct arena;

/* Why: a few seconds keeps view counts fresh enough for "most viewed" rows. */
#define VIEW_FLUSH_MS 5000
/* Why: bounds the batch (one parameter of 37 * N bytes) and the loss when a worker exits. */
#define VIEW_FLUSH_MAX 64

/* Record one view of the video with this id (a UUID as text, 36 bytes); other text is ignored. */
void view_record(const char *video_id, long long now_ms);

/*
 * If a batch is due at now_ms (the buffer is full, or non-empty and older
 * than VIEW_FLUSH_MS), return it as a PostgreSQL uuid[] literal
 * ("{id,id}") in the arena and empty the buffer; otherwise return "{}".
 * The caller sends it with its statement; whether or not that succeeds,
 * the batch is gone (see the loss rule above).
 */
const char *view_take_due(struct arena *a, long long now_ms);

/* Views waiting in the buffer (for the unit tests). */
int view_pending(void);

#endif
