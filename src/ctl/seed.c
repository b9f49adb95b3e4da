/*
 * seed.c - `marqueectl seed`: demo content for a fresh installation.
 *
 *   marqueectl seed [--media-dir DIR] [--no-media]
 *
 * Loads the seven collections, SEED_PERFORMERS performers (with social links
 * and photos) and SEED_VIDEOS published videos (1-4 performers each in
 * billing order, a still and a behind-the-scenes photo each, a featured
 * video per collection) in one transaction, through prepared statements.
 * Every row has a fixed id derived from a key ("video/12" -> md5 uuid) and
 * is inserted with ON CONFLICT DO NOTHING, so running seed again changes
 * nothing.  Text is neutral placeholder text; every performer is an adult on
 * every release date, so the 2257 gate (migration 003) accepts the commit.
 *
 * Media, written before the transaction into DIR (--media-dir, else
 * $MARQUEE_VAR/media, else ./var/media):
 *   img/...          placeholder SVGs (a coloured rectangle with a label),
 *                    referenced as /media/img/... (nginx serves /media/
 *                    from DIR);
 *   hls/test/...     one shared HLS test stream made by ffmpeg (test
 *                    pattern + tone, 20 s, renditions 480p and 720p, a
 *                    master playlist), referenced by every demo video as
 *                    /hls/test/master.m3u8 (nginx serves /hls/ from DIR/hls
 *                    to entitled members).  Made once: skipped when
 *                    master.m3u8 exists.
 * --no-media skips all files (database rows only).
 *
 * ffmpeg is started with posix_spawnp and a fixed argument vector (no
 * shell), writing into a temporary directory that is renamed into place
 * only when it succeeded, so a half-made stream is never served.
 */
#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "ctl.h"
#include "ctl/ctl_util.h"
#include "util.h"

extern char **environ;

#define SEED_PERFORMERS 48
#define SEED_VIDEOS     240
#define HLS_URL         "/hls/test/master.m3u8"

/* ------------------------------------------------------------ demo data */

static const struct {
	const char *name, *slug, *primary, *accent;
} collections[] = {
	{"Spotlight",         "spotlight",         "#C0392B", "#F5B041"},
	{"Late Night",        "late-night",        "#1B2631", "#AF7AC5"},
	{"Golden Hour",       "golden-hour",       "#9A5B0B", "#FDEBD0"},
	{"Studio Sessions",   "studio-sessions",   "#117A65", "#A3E4D7"},
	{"Classics",          "classics",          "#2C3E50", "#E59866"},
	{"Behind the Scenes", "behind-the-scenes", "#6C3483", "#F7DC6F"},
	{"Indie & Arthouse",  "indie-arthouse",    "#1F618D", "#F1948A"},
};
#define NCOLL ((int)NELEM(collections))

/* 16 x 3 distinct stage names: performer i is first[i % 16] last[i / 16]. */
static const char *const first_names[16] = {
	"Alex", "Sam", "Jordan", "Taylor", "Casey", "Riley", "Morgan", "Jamie",
	"Avery", "Quinn", "Harper", "Rowan", "Skyler", "Dakota", "Reese", "Emerson",
};
static const char *const last_names[3] = {"Rivers", "Stone", "Vale"};

static const char *const lorem[] = {
	"Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
	"Sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.",
	"Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.",
	"Duis aute irure dolor in reprehenderit in voluptate velit esse.",
	"Excepteur sint occaecat cupidatat non proident, sunt in culpa.",
};
#define NLOREM ((int)NELEM(lorem))

static const char *const palette[] = {
	"#2E86C1", "#28B463", "#CA6F1E", "#884EA0", "#D4AC0D", "#17A589", "#CB4335", "#5D6D7E",
};

/* Performer p's k-th performer slot in video v: distinct for k < 4 (11k mod 48). */
static int
video_performer(int v, int k)
{
	return (v * 5 + k * 11) % SEED_PERFORMERS;
}

static int
video_performer_count(int v)
{
	return 1 + (v * 7 + v / 3) % 4;
}

/* ---------------------------------------------------------- statements */

/* Ids: md5('marquee-seed/' || key)::uuid, the key naming the row ("video/12"). */
#define ID(n) "md5('marquee-seed/' || $" #n ")::uuid"

enum seed_stmt {
	S_COLLECTION,
	S_PERFORMER,
	S_SOCIAL,
	S_VIDEO,
	S_VIDEO_PERFORMER,
	S_PHOTO,
	S_FEATURED,
	S__MAX
};

static const struct {
	const char *name;
	const char *sql;
	int         nparams;
} stmts[S__MAX] = {
	[S_COLLECTION] = {"seed_collection",
	    "INSERT INTO collections (id, name, slug, description, color_scheme,"
	    " thumbnail_url, banner_image_url, is_active, sort_order)"
	    " VALUES (" ID(1) ", $2, $3, $4, $5::jsonb, $6, $7, true, $8::int)"
	    " ON CONFLICT DO NOTHING", 8},
	[S_PERFORMER] = {"seed_performer",
	    "INSERT INTO performers (id, name, slug, bio, profile_photo_url, cover_photo_url,"
	    " legal_name, stage_name, date_of_birth)"
	    " VALUES (" ID(1) ", $2, $3, $4, $5, $6, $7, $2, $8::date)"
	    " ON CONFLICT DO NOTHING", 8},
	[S_SOCIAL] = {"seed_social",
	    "INSERT INTO social_media_links (id, performer_id, platform, handle, url,"
	    " sort_order, is_verified)"
	    " VALUES (" ID(1) ", " ID(2) ", $3, $4, $5, $6::int, $7::boolean)"
	    " ON CONFLICT DO NOTHING", 7},
	[S_VIDEO] = {"seed_video",
	    "INSERT INTO videos (id, collection_id, title, slug, description, release_date,"
	    " hls_manifest_url, thumbnail_url, has_480p, has_720p, has_1080p, has_4k,"
	    " duration_seconds, file_size_bytes, performer_count, age_verified,"
	    " view_count, like_count, rating, is_featured, is_published, published_at)"
	    " VALUES (" ID(1) ", " ID(2) ", $3, $4, $5, $6::date, $7, $8, true, true, false, false,"
	    " $9::int, $10::bigint, $11::int, true, $12::bigint, $13::int, $14::numeric,"
	    " $15::boolean, true, $6::date + time '09:00')"
	    " ON CONFLICT DO NOTHING", 15},
	[S_VIDEO_PERFORMER] = {"seed_video_performer",
	    "INSERT INTO video_performers (id, video_id, performer_id, billing_order)"
	    " VALUES (" ID(1) ", " ID(2) ", " ID(3) ", $4::int)"
	    " ON CONFLICT DO NOTHING", 4},
	[S_PHOTO] = {"seed_photo",
	    "INSERT INTO photos (id, video_id, performer_id, photo_type, url, thumbnail_url,"
	    " alt_text, width, height, sort_order, is_primary)"
	    " VALUES (" ID(1) ", CASE WHEN $2 <> '' THEN " ID(2) " END,"
	    " CASE WHEN $3 <> '' THEN " ID(3) " END, $4, $5, $5, $6, $7::int, $8::int,"
	    " $9::int, $10::boolean)"
	    " ON CONFLICT DO NOTHING", 10},
	[S_FEATURED] = {"seed_featured",
	    "UPDATE collections SET featured_video_id = " ID(2)
	    " WHERE id = " ID(1) " AND featured_video_id IS NULL", 2},
};

struct seeder {
	PGconn *c;
	long    inserted[S__MAX];
	long    total[S__MAX];
};

static int
prepare_all(struct seeder *s)
{
	for (int i = 0; i < S__MAX; i++) {
		PGresult *r = PQprepare(s->c, stmts[i].name, stmts[i].sql, stmts[i].nparams, NULL);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

		if (!ok && state && strcmp(state, "42P01") == 0)   /* undefined_table */
			fprintf(stderr, "marqueectl seed: the schema is missing; "
			    "run `marqueectl migrate up` first\n");
		else if (!ok)
			fprintf(stderr, "marqueectl seed: %s: %s", stmts[i].name, PQerrorMessage(s->c));
		PQclear(r);
		if (!ok)
			return -1;
	}
	return 0;
}

/* Run statement st with its parameters; counts the rows it changed.  Returns 0 or -1. */
static int
run(struct seeder *s, enum seed_stmt st, const char *const *v)
{
	PGresult *r = PQexecPrepared(s->c, stmts[st].name, stmts[st].nparams, v, NULL, NULL, 0);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "marqueectl seed: %s: %s", stmts[st].name, PQerrorMessage(s->c));
	else {
		s->inserted[st] += strtol(PQcmdTuples(r), NULL, 10);
		s->total[st]++;
	}
	PQclear(r);
	return ok ? 0 : -1;
}

/* --------------------------------------------------------------- media */

static int
mkdir_p(const char *path)
{
	char tmp[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof tmp) {
		fprintf(stderr, "marqueectl seed: bad directory name\n");
		return -1;
	}
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "marqueectl seed: mkdir %s: %s\n", tmp, strerror(errno));
	return -1;
}

static void
xml_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default:  buf_putc(b, *s);
		}
	}
}

/*
 * Write DIR/rel as a w x h placeholder: background bg, a frame and the label
 * in fg.  An existing file with the same content is left alone (so a second
 * seed touches nothing); otherwise written to a temporary name and renamed.
 */
static int
write_svg(const char *dir, const char *rel, int w, int h, const char *bg,
    const char *fg, const char *label)
{
	struct buf b = BUF_INIT;
	char path[4096], tmp[4200], *slash;
	FILE *f;
	int rc = -1;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
		return -1;
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
	    " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w, h, w, h);
	xml_escape(&b, label);
	buf_printf(&b, "\"><rect width=\"%d\" height=\"%d\" fill=\"%s\"/>"
	    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"%s\""
	    " stroke-width=\"%d\"/><text x=\"50%%\" y=\"50%%\" dominant-baseline=\"middle\""
	    " text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"%d\" fill=\"%s\">",
	    w, h, bg, w / 40, w / 40, w - w / 20, h - w / 20, fg, w / 160 + 1,
	    h / 10 < w / 16 ? h / 10 : w / 16, fg);
	xml_escape(&b, label);
	buf_puts(&b, "</text></svg>\n");

	f = fopen(path, "rb");
	if (f != NULL) {
		char old[4096];
		size_t n = fread(old, 1, sizeof old, f);
		fclose(f);
		if (n == b.len && memcmp(old, b.data, n) == 0) {
			buf_free(&b);
			return 0;
		}
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdir_p(path) != 0)
		goto out;
	*slash = '/';
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (f == NULL || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
		fprintf(stderr, "marqueectl seed: %s: %s\n", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "marqueectl seed: rename %s: %s\n", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* Remove the temporary directory of a failed ffmpeg run (files and subdirectories). */
static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4400];
	struct stat st;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
				continue;
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(path);
			else
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

/*
 * Make MEDIA/hls/test (master.m3u8 + 480p/ and 720p/ renditions) with
 * ffmpeg unless it exists.  Short, small and preset ultrafast so it takes
 * seconds: it is a test pattern, not content.  Returns 0 or -1.
 */
static int
make_hls(const char *media)
{
	char final[4096], tmp[4200], seg[4300], out[4300], master[4200];
	struct stat st;
	pid_t pid;
	int status, err;

	if ((size_t)snprintf(final, sizeof final, "%s/hls/test", media) >= sizeof final)
		return -1;
	snprintf(master, sizeof master, "%s/master.m3u8", final);
	if (stat(master, &st) == 0)
		return 0;
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", final, (long)getpid());
	snprintf(seg, sizeof seg, "%s/%%v/seg%%03d.ts", tmp);
	snprintf(out, sizeof out, "%s/%%v/index.m3u8", tmp);
	if (mkdir_p(tmp) != 0)
		return -1;

	char *const argv[] = {
		"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=20",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=20",
		"-filter_complex", "[0:v]split=2[a][b];[a]scale=854:480[v0];[b]null[v1]",
		"-map", "[v0]", "-map", "[v1]", "-map", "1:a", "-map", "1:a",
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
		/* a keyframe every 2 s so 4 s segments cut cleanly */
		"-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
		"-b:v:0", "800k", "-maxrate:v:0", "900k", "-bufsize:v:0", "1600k",
		"-b:v:1", "1800k", "-maxrate:v:1", "2000k", "-bufsize:v:1", "3600k",
		"-c:a", "aac", "-b:a", "96k", "-ac", "2",
		"-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod",
		"-hls_segment_filename", seg,
		"-master_pl_name", "master.m3u8",
		"-var_stream_map", "v:0,a:0,name:480p v:1,a:1,name:720p",
		out, NULL,
	};

	printf("seed: generating the HLS test stream in %s (ffmpeg)\n", final);
	fflush(stdout);
	err = posix_spawnp(&pid, "ffmpeg", NULL, NULL, argv, environ);
	if (err != 0) {
		fprintf(stderr, "marqueectl seed: cannot run ffmpeg: %s (apt-get install ffmpeg)\n",
		    strerror(err));
		remove_tree(tmp);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "marqueectl seed: ffmpeg failed; no HLS stream made\n");
		remove_tree(tmp);
		return -1;
	}
	if (rename(tmp, final) != 0) {
		/* A concurrent seed may have won the race: theirs is as good. */
		int won = stat(master, &st) == 0;
		if (!won)
			fprintf(stderr, "marqueectl seed: rename %s: %s\n", final, strerror(errno));
		remove_tree(tmp);
		return won ? 0 : -1;
	}
	return 0;
}

/* All placeholder images (paths as in the URLs the rows carry). */
static int
make_images(const char *media)
{
	char img[4096], rel[256], label[128];
	int rc = 0;

	if ((size_t)snprintf(img, sizeof img, "%s/img", media) >= sizeof img)
		return -1;
	for (int i = 0; i < NCOLL; i++) {
		snprintf(rel, sizeof rel, "collections/%s/thumb.svg", collections[i].slug);
		rc |= write_svg(img, rel, 640, 360, collections[i].primary, collections[i].accent,
		    collections[i].name);
		snprintf(rel, sizeof rel, "collections/%s/banner.svg", collections[i].slug);
		rc |= write_svg(img, rel, 1600, 400, collections[i].primary, collections[i].accent,
		    collections[i].name);
	}
	for (int p = 0; p < SEED_PERFORMERS; p++) {
		const char *bg = palette[p % (int)NELEM(palette)];
		snprintf(label, sizeof label, "%s %s", first_names[p % 16], last_names[p / 16]);
		snprintf(rel, sizeof rel, "performers/%d/profile.svg", p + 1);
		rc |= write_svg(img, rel, 400, 500, bg, "#FFFFFF", label);
		snprintf(rel, sizeof rel, "performers/%d/cover.svg", p + 1);
		rc |= write_svg(img, rel, 1600, 400, bg, "#FFFFFF", label);
		for (int g = 1; g <= 2; g++) {
			snprintf(rel, sizeof rel, "performers/%d/gallery-%d.svg", p + 1, g);
			snprintf(label, sizeof label, "%s %s, photo %d", first_names[p % 16],
			    last_names[p / 16], g);
			rc |= write_svg(img, rel, 800, 1000, bg, "#FFFFFF", label);
		}
	}
	for (int v = 0; v < SEED_VIDEOS; v++) {
		int col = v % NCOLL;
		const char *bg = collections[col].primary, *fg = collections[col].accent;
		snprintf(label, sizeof label, "Sample video %d", v + 1);
		snprintf(rel, sizeof rel, "videos/%d/thumb.svg", v + 1);
		rc |= write_svg(img, rel, 640, 360, bg, fg, label);
		snprintf(rel, sizeof rel, "videos/%d/still-1.svg", v + 1);
		snprintf(label, sizeof label, "Sample video %d, still", v + 1);
		rc |= write_svg(img, rel, 1280, 720, bg, fg, label);
		snprintf(rel, sizeof rel, "videos/%d/bts-1.svg", v + 1);
		snprintf(label, sizeof label, "Sample video %d, behind the scenes", v + 1);
		rc |= write_svg(img, rel, 1280, 720, fg, bg, label);
	}
	return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- rows */

static int
seed_collections(struct seeder *s)
{
	for (int i = 0; i < NCOLL; i++) {
		char key[32], descr[256], scheme[96], thumb[160], banner[160], order[16];
		const char *v[8] = {key, collections[i].name, collections[i].slug, descr,
		    scheme, thumb, banner, order};

		snprintf(key, sizeof key, "collection/%d", i + 1);
		snprintf(descr, sizeof descr, "Sample collection %d. %s %s", i + 1,
		    lorem[i % NLOREM], lorem[(i + 1) % NLOREM]);
		snprintf(scheme, sizeof scheme, "{\"primary\": \"%s\", \"accent\": \"%s\"}",
		    collections[i].primary, collections[i].accent);
		snprintf(thumb, sizeof thumb, "/media/img/collections/%s/thumb.svg", collections[i].slug);
		snprintf(banner, sizeof banner, "/media/img/collections/%s/banner.svg", collections[i].slug);
		snprintf(order, sizeof order, "%d", i + 1);
		if (run(s, S_COLLECTION, v) != 0)
			return -1;
	}
	return 0;
}

static int
seed_performers(struct seeder *s)
{
	static const char *const platforms[] = {"instagram", "twitter", "custom"};

	for (int p = 0; p < SEED_PERFORMERS; p++) {
		char key[32], name[64], slug[64], bio[512], prof[96], cover[96], legal[64], dob[16];
		const char *v[8] = {key, name, slug, bio, prof, cover, legal, dob};
		/* Born 1970-1989 (every 150 days): 28+ on the first release date (2018). */
		int days = p * 150, y = 1970 + days / 365, doy = days % 365;

		snprintf(key, sizeof key, "performer/%d", p + 1);
		snprintf(name, sizeof name, "%s %s", first_names[p % 16], last_names[p / 16]);
		snprintf(slug, sizeof slug, "%s-%s", first_names[p % 16], last_names[p / 16]);
		for (char *c = slug; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		snprintf(bio, sizeof bio, "Sample performer bio for %s. %s %s %s", name,
		    lorem[p % NLOREM], lorem[(p + 2) % NLOREM], lorem[(p + 4) % NLOREM]);
		snprintf(prof, sizeof prof, "/media/img/performers/%d/profile.svg", p + 1);
		snprintf(cover, sizeof cover, "/media/img/performers/%d/cover.svg", p + 1);
		snprintf(legal, sizeof legal, "Demo Legal Name %d", p + 1);
		snprintf(dob, sizeof dob, "%04d-%02d-%02d", y, 1 + doy / 31 % 12, 1 + doy % 28);
		if (run(s, S_PERFORMER, v) != 0)
			return -1;

		for (int k = 0; k < (int)NELEM(platforms); k++) {
			char lkey[48], handle[80], url[160], order[16];
			const char *lv[7] = {lkey, key, platforms[k], handle, url, order,
			    k == 0 ? "true" : "false"};
			char compact[64];
			int n = 0;

			for (const char *c = slug; *c && n < 62; c++)
				if (*c != '-')
					compact[n++] = *c;
			compact[n] = '\0';
			snprintf(lkey, sizeof lkey, "social/%d/%s", p + 1, platforms[k]);
			snprintf(handle, sizeof handle, "demo_%s", compact);
			if (k == 0)
				snprintf(url, sizeof url, "https://instagram.com/demo_%s", compact);
			else if (k == 1)
				snprintf(url, sizeof url, "https://twitter.com/demo_%s", compact);
			else    /* plain http on purpose: pages must accept both schemes */
				snprintf(url, sizeof url, "http://%s.example.com/", slug);
			snprintf(order, sizeof order, "%d", k + 1);
			if (run(s, S_SOCIAL, lv) != 0)
				return -1;
		}

		for (int g = 0; g <= 2; g++) {
			char pkey[48], url[96], alt[96], order[16];
			const char *pv[10] = {pkey, "", key, g == 0 ? "profile" : "performer_photo",
			    url, alt, g == 0 ? "400" : "800", g == 0 ? "500" : "1000", order,
			    g == 0 ? "true" : "false"};

			snprintf(pkey, sizeof pkey, "photo/performer/%d/%d", p + 1, g);
			if (g == 0) {
				snprintf(url, sizeof url, "/media/img/performers/%d/profile.svg", p + 1);
				snprintf(alt, sizeof alt, "%s, profile photo", name);
			} else {
				snprintf(url, sizeof url, "/media/img/performers/%d/gallery-%d.svg", p + 1, g);
				snprintf(alt, sizeof alt, "%s, photo %d", name, g);
			}
			snprintf(order, sizeof order, "%d", g + 1);
			if (run(s, S_PHOTO, pv) != 0)
				return -1;
		}
	}
	return 0;
}

static int
seed_videos(struct seeder *s)
{
	for (int i = 0; i < SEED_VIDEOS; i++) {
		int col = i % NCOLL, pc = video_performer_count(i);
		int duration = 300 + (i * 397) % 4800;
		char key[32], ckey[32], title[64], slug[64], descr[512], date[16], thumb[96];
		char dur[16], size[24], pcs[8], views[24], likes[16], rating[16];
		const char *v[15] = {key, ckey, title, slug, descr, date, HLS_URL, thumb,
		    dur, size, pcs, views, likes, rating, i % 25 == 0 ? "true" : "false"};
		/* Release dates every 9 days from 2018-01-01 (computed by the server). */
		int y = 2018 + (i * 9) / 365, doy = (i * 9) % 365;

		snprintf(key, sizeof key, "video/%d", i + 1);
		snprintf(ckey, sizeof ckey, "collection/%d", col + 1);
		snprintf(title, sizeof title, "Sample video %d", i + 1);
		snprintf(slug, sizeof slug, "sample-video-%d", i + 1);
		snprintf(descr, sizeof descr, "Placeholder description for sample video %d. %s %s",
		    i + 1, lorem[i % NLOREM], lorem[(i + 3) % NLOREM]);
		snprintf(date, sizeof date, "%04d-%02d-%02d", y, 1 + doy / 31 % 12, 1 + doy % 28);
		snprintf(thumb, sizeof thumb, "/media/img/videos/%d/thumb.svg", i + 1);
		snprintf(dur, sizeof dur, "%d", duration);
		snprintf(size, sizeof size, "%lld", (long long)duration * 250000);
		snprintf(pcs, sizeof pcs, "%d", pc);
		snprintf(views, sizeof views, "%d", (i * 7919) % 100000 + i);
		snprintf(likes, sizeof likes, "%d", ((i * 7919) % 100000 + i) / 40);
		snprintf(rating, sizeof rating, "%d.%d0", 3 + (i % 20) / 10, (i * 3) % 10);
		if (run(s, S_VIDEO, v) != 0)
			return -1;

		for (int k = 0; k < pc; k++) {
			char lkey[48], pkey[32], order[16];
			const char *lv[4] = {lkey, key, pkey, order};
			snprintf(lkey, sizeof lkey, "video_performer/%d/%d", i + 1, k + 1);
			snprintf(pkey, sizeof pkey, "performer/%d", video_performer(i, k) + 1);
			snprintf(order, sizeof order, "%d", k + 1);
			if (run(s, S_VIDEO_PERFORMER, lv) != 0)
				return -1;
		}

		for (int k = 0; k < 2; k++) {
			char pkey[48], url[96], alt[96];
			const char *pv[10] = {pkey, key, "", k == 0 ? "video_still" : "behind_scenes",
			    url, alt, "1280", "720", k == 0 ? "1" : "2", k == 0 ? "true" : "false"};
			snprintf(pkey, sizeof pkey, "photo/video/%d/%d", i + 1, k + 1);
			snprintf(url, sizeof url, "/media/img/videos/%d/%s-1.svg", i + 1,
			    k == 0 ? "still" : "bts");
			snprintf(alt, sizeof alt, "Sample video %d, %s", i + 1,
			    k == 0 ? "still" : "behind the scenes");
			if (run(s, S_PHOTO, pv) != 0)
				return -1;
		}
	}
	/* Featured: the first video of each collection (video i is in collection i % 7). */
	for (int col = 0; col < NCOLL; col++) {
		char ckey[32], vkey[32];
		const char *v[2] = {ckey, vkey};
		snprintf(ckey, sizeof ckey, "collection/%d", col + 1);
		snprintf(vkey, sizeof vkey, "video/%d", col + 1);
		if (run(s, S_FEATURED, v) != 0)
			return -1;
	}
	return 0;
}

static int
exec_simple(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "marqueectl seed: %s", PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

static const char *
default_media_dir(char *buf, size_t len)
{
	const char *var = getenv("MARQUEE_VAR");
	snprintf(buf, len, "%s/media", var && *var ? var : "./var");
	return buf;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: marqueectl seed [--media-dir DIR] [--no-media]\n");
}

int
ctl_seed(int argc, char **argv)
{
	const char *media = NULL;
	struct seeder s = {0};
	char dflt[4096];
	int no_media = 0, rc = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--media-dir") == 0 && i + 1 < argc)
			media = argv[++i];
		else if (strncmp(argv[i], "--media-dir=", 12) == 0)
			media = argv[i] + 12;
		else if (strcmp(argv[i], "--no-media") == 0)
			no_media = 1;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "marqueectl seed: unexpected argument %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (media == NULL)
		media = default_media_dir(dflt, sizeof dflt);
	if (!no_media) {
		if (mkdir_p(media) != 0 || make_images(media) != 0 || make_hls(media) != 0)
			return 1;
	}

	s.c = ctl_db_open();
	if (s.c == NULL)
		return 1;
	if (prepare_all(&s) != 0 || exec_simple(s.c, "BEGIN") != 0)
		goto out;
	if (seed_collections(&s) != 0 || seed_performers(&s) != 0 || seed_videos(&s) != 0) {
		exec_simple(s.c, "ROLLBACK");
		goto out;
	}
	/* The 2257 gate runs here (deferred constraint triggers). */
	if (exec_simple(s.c, "COMMIT") != 0)
		goto out;
	printf("seed: %ld of %ld collections, %ld of %ld performers, %ld of %ld videos, "
	    "%ld of %ld photos, %ld of %ld links inserted (the rest were already there)\n",
	    s.inserted[S_COLLECTION], s.total[S_COLLECTION],
	    s.inserted[S_PERFORMER], s.total[S_PERFORMER],
	    s.inserted[S_VIDEO], s.total[S_VIDEO],
	    s.inserted[S_PHOTO], s.total[S_PHOTO],
	    s.inserted[S_SOCIAL] + s.inserted[S_VIDEO_PERFORMER],
	    s.total[S_SOCIAL] + s.total[S_VIDEO_PERFORMER]);
	if (!no_media)
		printf("seed: media in %s\n", media);
	rc = 0;
out:
	PQfinish(s.c);
	return rc;
}
