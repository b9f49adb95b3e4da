/*
 * test_tmpl.c - the template engine beyond the spec: error messages and
 * their positions, escaping, numbers, limits, the registry, loading a
 * directory, and `marqueectl render` (ctl_render, run in-process with its
 * standard streams redirected to files).  The spec itself runs in
 * test_tmpl_spec.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "ctl/ctl.h"
#include "t.h"
#include "tmpl.h"
#include "tval.h"

static char err[512];
static struct arena *values_arena;

/* j as template values (kept until the end of the test: they borrow j). */
static const struct tval *
values(const json_t *j)
{
	if (values_arena == NULL)
		values_arena = arena_new();
	return tv_from_json(values_arena, j);
}

/* Compile src as "t" in a fresh set; returns the set or NULL (err set). */
static struct tmpl_set *
compile1(const char *src)
{
	struct tmpl_set *s = tmpl_set_new();
	err[0] = '\0';
	if (tmpl_set_add(s, "t", src, strlen(src), "t.mustache", err, sizeof err) != 0) {
		tmpl_set_free(s);
		return NULL;
	}
	return s;
}

/* Render template src with JSON data; returns a static copy of the output,
 * or "<error: ...>" when it does not compile. */
static const char *
render(const char *src, const char *data)
{
	static char res[4096];
	struct tmpl_set *s = compile1(src);
	if (s == NULL) {
		snprintf(res, sizeof res, "<error: %s>", err);
		return res;
	}
	json_t *ctx = json_loads(data, JSON_DECODE_ANY, NULL);
	struct buf out = BUF_INIT;
	tmpl_render(s, "t", values(ctx), &out);
	snprintf(res, sizeof res, "%s", out.data ? out.data : "");
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(s);
	return res;
}

/* The error message compiling src gives ("" if it compiles). */
static const char *
error_of(const char *src)
{
	struct tmpl_set *s = compile1(src);
	tmpl_set_free(s);
	return s ? "" : err;
}

static void
test_errors(void)
{
	T_STREQ("error: unclosed section", error_of("ab\n  {{#sec}}\nx"),
	        "t.mustache:2:3: unclosed section 'sec'");
	T_STREQ("error: unclosed inverted", error_of("{{^inv}}"),
	        "t.mustache:1:1: unclosed inverted section 'inv'");
	T_STREQ("error: unclosed block", error_of("{{$b}}x"), "t.mustache:1:1: unclosed block 'b'");
	T_STREQ("error: unclosed parent", error_of("x\n{{<p}}"), "t.mustache:2:1: unclosed parent 'p'");
	T_STREQ("error: mismatched close", error_of("{{#a}}\n {{#b}}\n {{/a}}"),
	        "t.mustache:3:2: close tag 'a' does not match open section 'b' of line 2");
	T_STREQ("error: close without open", error_of("x{{/a}}"),
	        "t.mustache:1:2: close tag 'a' without an open section");
	T_STREQ("error: unclosed tag", error_of("ok\nthen {{name"),
	        "t.mustache:2:6: unclosed tag: no '}}' after '{{'");
	T_STREQ("error: unclosed triple", error_of("{{{name}}"),
	        "t.mustache:1:1: unclosed tag: no '}}}' after '{{{'");
	T_STREQ("error: bad delimiter (one)", error_of("a\n{{=<% =}}"),
	        "t.mustache:2:1: bad delimiter tag: expected {{=OPEN CLOSE=}}");
	T_STREQ("error: bad delimiter (three)", error_of("{{=a b c=}}"),
	        "t.mustache:1:1: bad delimiter tag: delimiters may not contain '=' or spaces");
	T_STREQ("error: unclosed delimiter", error_of("{{=<% %>}}"),
	        "t.mustache:1:1: unclosed delimiter tag: no '=}}'");
	T_STREQ("error: new delimiters apply", error_of("{{=<% %>=}}<%name"),
	        "t.mustache:1:12: unclosed tag: no '%>' after '<%'");
	T_STREQ("error: empty tag", error_of("{{ }}"), "t.mustache:1:1: empty tag name");
	T_STREQ("error: space in name", error_of("{{a b}}"),
	        "t.mustache:1:1: tag name 'a b' contains whitespace");
	T_STREQ("error: empty name part", error_of("{{a..b}}"),
	        "t.mustache:1:1: bad name 'a..b': empty part");
	T_STREQ("error: dynamic close must match", error_of("{{<*p}}{{/p}}"),
	        "t.mustache:1:8: close tag 'p' does not match open parent 'p' of line 1");
	T_STREQ("ok: comment may hold anything", error_of("{{! a b }} {{ x }}"), "");
}

static void
test_escaping(void)
{
	T_STREQ("escape all five", render("{{s}}", "{\"s\":\"&<>\\\"'\"}"),
	        "&amp;&lt;&gt;&quot;&#39;");
	T_STREQ("raw triple", render("{{{s}}}", "{\"s\":\"&<>\\\"'\"}"), "&<>\"'");
	T_STREQ("raw ampersand", render("{{& s}}", "{\"s\":\"&<>\\\"'\"}"), "&<>\"'");
	T_STREQ("other characters pass", render("{{s}}", "{\"s\":\"a/b=c`d\\u00e9\"}"),
	        "a/b=c`d\xc3\xa9");

	/* Every length and position across the 16-byte fast paths. */
	int ok = 1;
	for (int len = 1; len <= 40 && ok; len++)
		for (int pos = 0; pos < len && ok; pos++) {
			char in[64], want[128];
			memset(in, 'x', (size_t)len);
			in[len] = '\0';
			in[pos] = '<';
			snprintf(want, sizeof want, "%.*s&lt;%s", pos, in, in + pos + 1);
			json_t *ctx = json_pack("{s:s}", "s", in);
			char *data = json_dumps(ctx, 0);
			ok = strcmp(render("{{s}}", data), want) == 0;
			free(data);
			json_decref(ctx);
		}
	T_CHECK("escape at every position of strings 1..40", ok);
	T_STREQ("escape runs of specials", render("{{s}}", "{\"s\":\"0123456789abcdef&&&&<<<<\"}"),
	        "0123456789abcdef&amp;&amp;&amp;&amp;&lt;&lt;&lt;&lt;");
	T_STREQ("text is never escaped", render("<a href=\"x\">&amp;</a>", "{}"),
	        "<a href=\"x\">&amp;</a>");
}

static void
test_numbers(void)
{
	T_STREQ("real 1.1", render("{{x}}", "{\"x\":1.1}"), "1.1");
	T_STREQ("real 1e100", render("{{x}}", "{\"x\":1e100}"), "1e+100");
	T_STREQ("real -0", render("{{x}}", "{\"x\":-0.0}"), "-0");
	T_STREQ("real 0.1+0.2", render("{{x}}", "{\"x\":0.30000000000000004}"),
	        "0.30000000000000004");
	T_STREQ("real 1.0", render("{{x}}", "{\"x\":1.0}"), "1");
	T_STREQ("real small", render("{{x}}", "{\"x\":1.5e-7}"), "1.5e-7");
	T_STREQ("real 10.0 plain", render("{{x}}", "{\"x\":10.0}"), "10");
	T_STREQ("real 1e3 plain", render("{{x}}", "{\"x\":1e3}"), "1000");
	T_STREQ("real 1e-5 plain", render("{{x}}", "{\"x\":1e-5}"), "0.00001");
	T_STREQ("real 1e-7 exponent", render("{{x}}", "{\"x\":1e-7}"), "1e-7");
	T_STREQ("real 123.456", render("{{x}}", "{\"x\":123.456}"), "123.456");
	T_STREQ("real -2.5e-3", render("{{x}}", "{\"x\":-2.5e-3}"), "-0.0025");
	T_STREQ("real 1e20 plain", render("{{x}}", "{\"x\":1e20}"), "100000000000000000000");
	T_STREQ("real 1e21 exponent", render("{{x}}", "{\"x\":1e21}"), "1e+21");
	T_STREQ("real 1.5e300", render("{{x}}", "{\"x\":1.5e300}"), "1.5e+300");
	T_STREQ("integers", render("{{a}} {{b}} {{c}} {{d}} {{e}}",
	                           "{\"a\":0,\"b\":-5,\"c\":10,\"d\":99,\"e\":100}"),
	        "0 -5 10 99 100");
	T_STREQ("big integers", render("{{a}} {{b}}",
	                               "{\"a\":9223372036854775807,\"b\":-9223372036854775808}"),
	        "9223372036854775807 -9223372036854775808");
	T_STREQ("booleans and null", render("{{t}} {{f}} [{{n}}] [{{o}}]",
	                                    "{\"t\":true,\"f\":false,\"n\":null,\"o\":{}}"),
	        "true false [] []");
}

static void
test_truthiness(void)
{
	T_STREQ("empty string is falsey", render("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\":\"\"}"), "no");
	T_STREQ("zero is truthy", render("{{#z}}yes{{/z}}", "{\"z\":0}"), "yes");
	T_STREQ("scalar context", render("{{.}}", "\"str\""), "str");
	T_STREQ("array context", render("{{#.}}[{{.}}]{{/.}}", "[1,2]"), "[1][2]");
}

static void
test_limits(void)
{
	char *deep = malloc(20 * (TMPL_MAX_NEST + 1) + 1);
	char *p = deep;
	for (int i = 0; i < TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{#a}}");
	for (int i = 0; i < TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{/a}}");
	T_STREQ("nesting at the limit compiles", error_of(deep), "");
	p = deep;
	for (int i = 0; i <= TMPL_MAX_NEST; i++)
		p += sprintf(p, "{{#a}}");
	T_STREQ("nesting beyond the limit is an error", error_of(deep),
	        "t.mustache:1:1537: sections nested deeper than 256");
	free(deep);

	size_t big = TMPL_MAX_SIZE + 1;
	char *huge = malloc(big);
	memset(huge, 'x', big);
	struct tmpl_set *s = tmpl_set_new();
	T_CHECK("huge template rejected", tmpl_set_add(s, "h", huge, big, "h.mustache", err,
	                                               sizeof err) == -1);
	T_STREQ("huge template message", err, "h.mustache:1:1: template is larger than 8388608 bytes");
	T_CHECK("template at the size limit accepted",
	        tmpl_set_add(s, "h", huge, big - 1, "h.mustache", err, sizeof err) == 0);
	free(huge);

	/* A partial that includes itself stops at TMPL_MAX_DEPTH. */
	struct buf out = BUF_INIT;
	tmpl_set_add(s, "self", "x{{>self}}", 10, "self", err, sizeof err);
	json_t *ctx = json_object();
	T_CHECK("self-recursive partial renders", tmpl_render(s, "self", values(ctx), &out) == 0);
	T_CHECK("self-recursive partial stops at the depth limit", out.len == TMPL_MAX_DEPTH + 1);

	/* Exponential fan-out stops at the step budget and says so. */
	tmpl_set_add(s, "fan", "{{>fan}}{{>fan}}", 16, "fan", err, sizeof err);
	buf_reset(&out);
	T_CHECK("fan-out partials hit the step limit", tmpl_render(s, "fan", values(ctx), &out) == 1);

	/* A list iterated inside itself 40 deep: 2^40 iterations, stopped. */
	char loop[40 * 14 + 8];
	p = loop;
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "{{#l}}");
	p += sprintf(p, "x");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "{{/l}}");
	tmpl_set_add(s, "loop", loop, strlen(loop), "loop", err, sizeof err);
	json_t *lctx = json_loads("{\"l\":[1,2]}", 0, NULL);
	buf_reset(&out);
	T_CHECK("nested loops hit the step limit", tmpl_render(s, "loop", values(lctx), &out) == 1);
	T_CHECK("output cut short, not runaway", out.len <= TMPL_MAX_STEPS);

	/* Blocks overriding themselves recurse only to the depth limit. */
	tmpl_set_add(s, "pb", "{{$x}}{{/x}}", 12, "pb", err, sizeof err);
	const char *selfblock = "{{<pb}}{{$x}}y{{$x}}{{/x}}{{/x}}{{/pb}}";
	tmpl_set_add(s, "sb", selfblock, strlen(selfblock), "sb", err, sizeof err);
	buf_reset(&out);
	T_CHECK("self-nested block renders", tmpl_render(s, "sb", values(ctx), &out) == 0);
	T_CHECK("self-nested block bounded", out.len > 0 && out.len <= TMPL_MAX_DEPTH);

	/* Indentation is capped, so deep standalone partials cannot make every
	 * line start write megabytes. */
	char *wide = malloc(5000 + 16);
	memset(wide, ' ', 5000);
	strcpy(wide + 5000, "{{>two}}\n");
	tmpl_set_add(s, "two", "a\nb\n", 4, "two", err, sizeof err);
	tmpl_set_add(s, "wide", wide, strlen(wide), "wide", err, sizeof err);
	buf_reset(&out);
	tmpl_render(s, "wide", values(ctx), &out);
	T_STREQ("indentation beyond the cap is not added", out.data, "a\nb\n");
	free(wide);
	tmpl_set_add(s, "ind", "  {{>two}}\n", 11, "ind", err, sizeof err);
	buf_reset(&out);
	tmpl_render(s, "ind", values(ctx), &out);
	T_STREQ("indentation within the cap is added", out.data, "  a\n  b\n");

	json_decref(lctx);
	json_decref(ctx);
	buf_free(&out);
	tmpl_set_free(s);
}

static void
test_registry(void)
{
	struct tmpl_set *s = tmpl_set_new();
	const char *evil = "[{{>../etc/passwd}}][{{>/etc/passwd}}][{{>*path}}]";
	tmpl_set_add(s, "t", evil, strlen(evil), "t", err, sizeof err);
	json_t *ctx = json_loads("{\"path\":\"../../etc/passwd\"}", 0, NULL);
	struct buf out = BUF_INIT;
	buf_puts(&out, "prefix:");
	T_CHECK("render ok", tmpl_render(s, "t", values(ctx), &out) == 0);
	T_STREQ("paths in tags and data are names only", out.data, "prefix:[][][]");

	size_t before = out.len;
	T_CHECK("unknown template is -1", tmpl_render(s, "nope", values(ctx), &out) == -1);
	T_CHECK("unknown template appends nothing", out.len == before);

	T_CHECK("has t", tmpl_set_has(s, "t"));
	T_CHECK("has not u", !tmpl_set_has(s, "u"));
	T_CHECK("replace by name", tmpl_set_add(s, "t", "new", 3, "t", err, sizeof err) == 0);
	T_CHECK("failed add keeps the old one", tmpl_set_add(s, "t", "{{#", 3, "t", err, sizeof err) == -1);
	buf_reset(&out);
	tmpl_render(s, "t", values(ctx), &out);
	T_STREQ("replaced template renders", out.data, "new");

	/* Many names: the table grows and every name stays reachable. */
	int all = 1;
	for (int i = 0; i < 300; i++) {
		char name[16];
		snprintf(name, sizeof name, "n%d", i);
		tmpl_set_add(s, name, name, strlen(name), name, err, sizeof err);
	}
	for (int i = 0; i < 300; i++) {
		char name[16];
		snprintf(name, sizeof name, "n%d", i);
		buf_reset(&out);
		all &= tmpl_render(s, name, values(ctx), &out) == 0 && strcmp(out.data, name) == 0;
	}
	T_CHECK("300 templates all found", all);

	json_decref(ctx);
	buf_free(&out);
	tmpl_set_free(s);
	tmpl_set_free(NULL);
	T_CHECK("tmpl_set_free(NULL) is a no-op", 1);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void
test_load_dir(void)
{
	char dir[] = "/tmp/test_tmpl.XXXXXX";
	if (mkdtemp(dir) == NULL) {
		T_CHECK("mkdtemp", 0);
		return;
	}
	write_file(dir, "layout.mustache",
	           "<title>{{$title}}Marquee{{/title}}</title>\n<main>\n  {{$content}}\n  {{/content}}\n</main>\n");
	write_file(dir, "page.mustache",
	           "{{<layout}}\n{{$title}}{{name}}{{/title}}\n{{$content}}\n<p>\n  {{>card}}\n</p>\n{{/content}}\n{{/layout}}\n");
	write_file(dir, "card.mustache", "<b>{{name}}</b>\n<i>card</i>\n");
	write_file(dir, "notes.txt", "{{#broken");

	struct tmpl_set *s = tmpl_set_load_dir(dir, err, sizeof err);
	T_CHECK("load_dir ok", s != NULL);
	if (s != NULL) {
		T_CHECK("load_dir has layout", tmpl_set_has(s, "layout"));
		T_CHECK("load_dir has page", tmpl_set_has(s, "page"));
		T_CHECK("load_dir skips other files", !tmpl_set_has(s, "notes"));
		json_t *ctx = json_loads("{\"name\":\"A&B\"}", 0, NULL);
		struct buf out = BUF_INIT;
		tmpl_render(s, "page", values(ctx), &out);
		T_STREQ("layout with blocks and an indented partial", out.data,
		        "<title>A&amp;B</title>\n<main>\n  <p>\n    <b>A&amp;B</b>\n    <i>card</i>\n  </p>\n</main>\n");
		/* An empty slot written on one line keeps that line's newline
		 * (spec ~inheritance "Standalone block"). */
		const char *oneline = "<main>\n  {{$content}}{{/content}}\n</main>\n";
		tmpl_set_add(s, "layout", oneline, strlen(oneline), "l", err, sizeof err);
		buf_reset(&out);
		tmpl_render(s, "page", values(ctx), &out);
		T_STREQ("one-line slot keeps its newline", out.data,
		        "<main>\n  <p>\n    <b>A&amp;B</b>\n    <i>card</i>\n  </p>\n\n</main>\n");
		buf_free(&out);
		json_decref(ctx);
		tmpl_set_free(s);
	}

	write_file(dir, "broken.mustache", "ok\n{{#x}}");
	s = tmpl_set_load_dir(dir, err, sizeof err);
	T_CHECK("load_dir with a broken template fails", s == NULL);
	char want[600];
	snprintf(want, sizeof want, "%s/broken.mustache:2:1: unclosed section 'x'", dir);
	T_STREQ("load_dir error names file, line, column", err, want);
	tmpl_set_free(s);

	char path[512];
	const char *names[] = {"layout.mustache", "page.mustache", "card.mustache", "notes.txt",
	                       "broken.mustache"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);

	s = tmpl_set_load_dir(dir, err, sizeof err);
	snprintf(want, sizeof want, "%s: No such file or directory", dir);
	T_CHECK("load_dir of a missing dir fails", s == NULL);
	T_STREQ("load_dir missing dir message", err, want);
}

static void
read_file(const char *path, char *dst, size_t n)
{
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(dst, 1, n - 1, f) : 0;
	dst[got] = '\0';
	if (f)
		fclose(f);
}

/* Run `marqueectl render` with `json` on stdin; its stdout and stderr are
 * returned in out/errout.  Returns its exit status. */
static int
ctl(char **argv, const char *json, const char *dir, char *out, char *errout, size_t n)
{
	char in[600], o[600], e[600];
	snprintf(in, sizeof in, "%s/stdin", dir);
	snprintf(o, sizeof o, "%s/stdout", dir);
	snprintf(e, sizeof e, "%s/stderr", dir);
	write_file(dir, "stdin", json);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fo, 1);
	dup2(fe, 2);
	close(fo);
	close(fe);
	int rc = freopen(in, "r", stdin) ? 0 : -1;
	if (rc == 0) {
		int argc = 0;
		while (argv[argc])
			argc++;
		rc = ctl_render(argc, argv);
	}
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	read_file(o, out, n);
	read_file(e, errout, n);
	unlink(in);
	unlink(o);
	unlink(e);
	return rc;
}

static void
test_ctl_render(void)
{
	char dir[] = "/tmp/test_tmpl_ctl.XXXXXX";
	if (mkdtemp(dir) == NULL) {
		T_CHECK("mkdtemp", 0);
		return;
	}
	char parts[600], page[600], bad[600], out[2048], errout[2048], want[1200];
	snprintf(parts, sizeof parts, "%s/parts", dir);
	mkdir(parts, 0700);
	write_file(parts, "layout.mustache", "<main>\n{{$body}}none{{/body}}\n</main>\n");
	write_file(parts, "page.mustache", "stale copy: replaced by the file rendered");
	write_file(dir, "page.mustache", "{{<layout}}{{$body}}{{.}} \x01{{/body}}{{/layout}}");
	write_file(dir, "bad.mustache", "{{#a}}\n{{/b}}");
	snprintf(page, sizeof page, "%s/page.mustache", dir);
	snprintf(bad, sizeof bad, "%s/bad.mustache", dir);

	char *with_parts[] = {"render", page, "--partials", parts, NULL};
	T_CHECK("render: exit 0", ctl(with_parts, "\"<x>\"", dir, out, errout, sizeof out) == 0);
	T_STREQ("render: scalar context, parent from --partials, bytes as is", out,
	        "<main>\n&lt;x&gt; \x01\n</main>\n");
	ctl(with_parts, " 12.5 ", dir, out, errout, sizeof out);
	T_STREQ("render: number context", out, "<main>\n12.5 \x01\n</main>\n");

	T_CHECK("render: bad JSON exits 1", ctl(with_parts, "{\"a\":", dir, out, errout,
	                                        sizeof out) == 1);
	T_CHECK("render: bad JSON message has a position",
	        strncmp(errout, "marqueectl render: <stdin>:1:", 29) == 0 && out[0] == '\0');

	char *broken[] = {"render", bad, NULL};
	T_CHECK("render: template error exits 1", ctl(broken, "{}", dir, out, errout, sizeof out) == 1);
	snprintf(want, sizeof want, "marqueectl render: %s:2:1: close tag 'b' does not match open "
	         "section 'a' of line 1\n", bad);
	T_STREQ("render: template error message", errout, want);

	char *none[] = {"render", NULL};
	char *extra[] = {"render", page, page, NULL};
	char *opt[] = {"render", "--bogus", page, NULL};
	T_CHECK("render: no template is a usage error", ctl(none, "{}", dir, out, errout, sizeof out) == 2);
	T_CHECK("render: two templates is a usage error", ctl(extra, "{}", dir, out, errout, sizeof out) == 2);
	T_CHECK("render: unknown option is a usage error", ctl(opt, "{}", dir, out, errout, sizeof out) == 2);

	char missing[600];
	snprintf(missing, sizeof missing, "%s/nope.mustache", dir);
	char *nofile[] = {"render", missing, NULL};
	T_CHECK("render: missing template exits 1", ctl(nofile, "{}", dir, out, errout, sizeof out) == 1);

	snprintf(want, sizeof want, "%s/layout.mustache", parts);
	unlink(want);
	snprintf(want, sizeof want, "%s/page.mustache", parts);
	unlink(want);
	rmdir(parts);
	unlink(page);
	unlink(bad);
	rmdir(dir);
}

/*
 * The renderer remembers member lookups per object and name: every
 * mention must still see its own object, whether the item has the name,
 * lacks it (the root's answers) or has it as a dotted path; 100 items use
 * far more objects than the memo has slots, so entries are replaced.
 */
static void
test_repeated_names(void)
{
	struct buf data = BUF_INIT, want = BUF_INIT;
	buf_puts(&data, "{\"a\":\"R\",\"o\":{\"b\":\"r\"},\"items\":[");
	for (int i = 0; i < 100; i++) {
		if (i % 3 == 0)
			buf_printf(&data, "%s{\"a\":\"%d\",\"o\":{\"b\":\"%d\"}}", i ? "," : "", i, i);
		else if (i % 3 == 1)
			buf_printf(&data, "%s{}", i ? "," : "");
		else
			buf_printf(&data, "%s{\"a\":\"%d\"}", i ? "," : "", i);
		if (i % 3 == 0)
			buf_printf(&want, "%d%d%d.", i, i, i);
		else if (i % 3 == 1)
			buf_printf(&want, "RRr.");
		else
			buf_printf(&want, "%d%dr.", i, i);
	}
	buf_puts(&data, "]}");
	T_STREQ("repeated names see each item",
	        render("{{#items}}{{a}}{{#a}}{{a}}{{/a}}{{o.b}}.{{/items}}", data.data), want.data);
	buf_free(&data);
	buf_free(&want);
}

int
main(void)
{
	test_errors();
	test_escaping();
	test_numbers();
	test_truthiness();
	test_repeated_names();
	test_limits();
	test_registry();
	test_load_dir();
	test_ctl_render();
	arena_free(values_arena);
	return t_done("test_tmpl");
}
