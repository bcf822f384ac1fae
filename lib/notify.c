/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Warnings to the users of sessions.  A text session gets the message on its
 * terminal, written the way wall(1) writes: opened without becoming its
 * controlling terminal, without blocking and without following symlinks, and
 * only if it is a character device that is a terminal.  A graphical session
 * gets a desktop notification on its user's own session bus, sent by a child
 * process that has become that user (groups, gid, uid, in that order, and
 * checked), so that root never talks to a bus a user owns.
 *
 * Everything runs in parallel under one deadline: one stuck terminal or one
 * silent notification server costs the run that deadline, not more.
 */
#include <fcntl.h>
#include <grp.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define NOTIFY_MAX_USEC (10 * USEC_PER_SEC)
#define NOTIFIERS_MAX 16	/* children at once */
#define TITLE_MAX 128
#define DEFAULT_TITLE "Message from the system administrator"

#define NOTIFICATIONS_SERVICE "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"

/* ---- text ---- */

/* Length of the UTF-8 sequence at @p and its code point; 0 if it is not valid UTF-8. */
static size_t utf8_decode(const unsigned char *p, uint32_t *ret)
{
	uint32_t c;
	size_t n;

	if (p[0] < 0x80) {
		*ret = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || (c >= 0xd800 && c <= 0xdfff) ||
	    c > 0x10ffff)
		return 0;
	*ret = c;
	return n;
}

/* Skip an escape sequence starting at the ESC at @p; returns what follows it. */
static const unsigned char *skip_escape(const unsigned char *p)
{
	p++;
	if (*p == '[') {
		/* CSI: parameter and intermediate bytes, then one final byte */
		for (p++; *p >= 0x20 && *p <= 0x3f; p++)
			;
		return *p >= 0x40 && *p <= 0x7e ? p + 1 : p;
	}
	if (*p == ']' || *p == 'P' || *p == 'X' || *p == '^' || *p == '_') {
		/* OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \ or U+009C) */
		for (p++; *p; p++) {
			if (*p == '\a')
				return p + 1;
			if ((p[0] == 0x1b && p[1] == '\\') || (p[0] == 0xc2 && p[1] == 0x9c))
				return p + 2;
		}
		return p;
	}
	/* any other: intermediate bytes (ESC ( B), then one final byte */
	for (; *p >= 0x20 && *p <= 0x2f; p++)
		;
	return *p >= 0x30 && *p <= 0x7e ? p + 1 : p;
}

/* Code points that change how the text around them is shown, not just what it shows. */
static bool invisible_control(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) ||	/* C1 controls */
	       (c >= 0x202a && c <= 0x202e) ||	/* bidi embeddings and overrides */
	       (c >= 0x2066 && c <= 0x2069) ||	/* bidi isolates */
	       c == 0x2028 || c == 0x2029;	/* line and paragraph separators */
}

/*
 * The text users will see: valid UTF-8 (anything else becomes U+FFFD), no
 * escape sequence, no control character but newline (a space when
 * @one_line, and tabs always become spaces), no bidi overrides, leading and
 * trailing white space removed.  -EMSGSIZE when @in is longer than @max
 * bytes, -EINVAL when nothing visible is left.
 */
int notify_sanitize(const char *in, size_t max, bool one_line, char **ret)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t len = strlen(in), o = 0, start;
	char *out;

	if (len > max)
		return -EMSGSIZE;
	out = malloc(len * 3 + 1);
	if (!out)
		return -ENOMEM;
	while (*p) {
		uint32_t c;
		size_t n;

		if (*p == 0x1b) {
			p = skip_escape(p);
			continue;
		}
		n = utf8_decode(p, &c);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
			continue;
		}
		if (c == '\n' && !one_line)
			out[o++] = '\n';
		else if (c == '\n' || c == '\t')
			out[o++] = ' ';
		else if (c >= 0x20 && c != 0x7f && !invisible_control(c)) {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n'))
		o--;
	for (start = 0; start < o && (out[start] == ' ' || out[start] == '\n'); start++)
		;
	memmove(out, out + start, o - start);
	out[o - start] = '\0';
	if (!*out) {
		free(out);
		return -EINVAL;
	}
	*ret = out;
	return 0;
}

/*
 * What a terminal gets: a bell, a heading, the text with CR LF line ends.
 * The host name and the time go through the sanitizer too: neither is ours.
 */
static char *terminal_text(const char *title, const char *text)
{
	_cleanup_free_ char *heading = NULL;
	char raw[512], host[256] = "", when[64] = "", *out, *q;
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0;

	if (gethostname(host, sizeof(host) - 1) < 0)
		host[0] = '\0';
	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%a %b %e %H:%M", &tm);
	snprintf(raw, sizeof(raw), "*** %s (%s, %s) ***", title, host, when);
	if (notify_sanitize(raw, sizeof(raw), true, &heading) < 0)
		return NULL;
	for (const char *s = text; *s; s++)
		n += *s == '\n' ? 2 : 1;
	out = malloc(strlen(heading) + n + 16);
	if (!out)
		return NULL;
	q = out + sprintf(out, "\r\n\a%s\r\n\r\n", heading);
	for (const char *s = text; *s; s++) {
		if (*s == '\n')
			*q++ = '\r';
		*q++ = *s;
	}
	strcpy(q, "\r\n\r\n");
	return out;
}

/* Text for a server that reads markup in the body: &, < and > escaped. */
static char *markup_escape(const char *s)
{
	char *out = malloc(strlen(s) * 5 + 1), *q = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == '&')
			q = stpcpy(q, "&amp;");
		else if (*s == '<')
			q = stpcpy(q, "&lt;");
		else if (*s == '>')
			q = stpcpy(q, "&gt;");
		else
			*q++ = *s;
	}
	*q = '\0';
	return out;
}

/* ---- terminals ---- */

static bool tty_name_valid(const char *name)
{
	if (!*name || *name == '/' || strstr(name, "..") || strstr(name, "//"))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '/'))
			return false;
	return strlen(name) < 64;
}

/*
 * Terminals a login can be on: virtual consoles and serial lines (4), pty
 * slaves (136-143), USB serial (166, 188), low-density serial (204).  Not
 * 5:x (/dev/tty, the console, ptmx), and nothing else whose mere opening
 * does something, such as a watchdog.
 */
static bool tty_device(dev_t rdev)
{
	unsigned m = major(rdev);

	return m == 4 || (m >= 136 && m <= 143) || m == 166 || m == 188 || m == 204;
}

static int open_below_dev(int dir, const char *name, uint64_t flags)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, dir, name, &how, sizeof(how));

	/* no openat2 (before Linux 5.6, or a seccomp filter): the last component at least */
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(dir, name, (int)how.flags);
	return fd < 0 ? -errno : fd;
}

/*
 * Open the session's terminal below /dev for writing: no symlink anywhere on
 * the way, never as controlling terminal, never blocking.  What the name
 * leads to is looked at (O_PATH) before it is opened for real, so that no
 * device but a terminal is ever opened; the real open must find the same
 * device.  Every way of not being a usable terminal is -ENOTTY.
 */
static int terminal_open(const char *tty, dev_t *ret_rdev)
{
	const char *name = strncmp(tty, "/dev/", 5) == 0 ? tty + 5 : tty;
	struct stat st, st2;
	int dir, fd;

	if (!tty_name_valid(name))
		return -ENOTTY;
	dir = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	fd = open_below_dev(dir, name, O_PATH);
	if (fd >= 0) {
		if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || !tty_device(st.st_rdev)) {
			close(fd);
			fd = -ENOTTY;
		} else {
			close(fd);
			fd = open_below_dev(dir, name, O_WRONLY | O_NOCTTY | O_NONBLOCK);
		}
	}
	close(dir);
	if (fd == -EACCES || fd == -EPERM)
		return fd;
	if (fd < 0)
		return -ENOTTY;
	if (fstat(fd, &st2) < 0 || !S_ISCHR(st2.st_mode) || st2.st_rdev != st.st_rdev ||
	    !isatty(fd)) {
		close(fd);
		return -ENOTTY;
	}
	*ret_rdev = st.st_rdev;
	return fd;
}

/* ---- notifications, from a child that is the user ---- */

struct notification {
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* the user's, looked up in the parent */
	gid_t *scratch;		/* as many, for getgroups() in the child */
	int n_groups;
	bool switch_user;	/* false when we already are the user */
	const char *title;
	const char *text;
	uint32_t replaces;
	int32_t expire_ms;
	uint64_t timeout_usec;
};

/* What a notifier writes back. */
struct notifier_reply {
	int32_t result;
	uint32_t id;
};

/* The user's groups, looked up here in the parent: no NSS after fork(). */
static int user_groups(struct notification *nf)
{
	_cleanup_free_ char *buf = NULL;
	struct passwd pw, *found = NULL;
	size_t size = 4096;
	gid_t *groups = NULL;
	int n = 64, r;

	for (;;) {
		free(buf);
		buf = malloc(size);
		if (!buf)
			return -ENOMEM;
		r = getpwuid_r(nf->uid, &pw, buf, size, &found);
		if (r != ERANGE)
			break;
		size *= 2;
	}
	if (r != 0)
		return -r;
	if (!found)
		return -ESRCH;
	for (;;) {
		gid_t *ng = realloc(groups, (size_t)n * sizeof(gid_t));
		int want = n;

		if (!ng) {
			free(groups);
			return -ENOMEM;
		}
		groups = ng;
		if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &want) >= 0) {
			n = want;
			break;
		}
		n = want > n ? want : n * 2;
	}
	nf->scratch = malloc((size_t)n * sizeof(gid_t));
	if (!nf->scratch) {
		free(groups);
		return -ENOMEM;
	}
	nf->gid = pw.pw_gid;
	nf->groups = groups;
	nf->n_groups = n;
	return 0;
}

static bool gid_listed(gid_t g, const gid_t *groups, int n)
{
	for (int i = 0; i < n; i++)
		if (groups[i] == g)
			return true;
	return false;
}

/* Become the user fully, and check that it took: a half drop is a failure. */
static int drop_privileges(const struct notification *nf)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int m;

	if (setgroups((size_t)nf->n_groups, nf->groups) < 0 ||
	    setresgid(nf->gid, nf->gid, nf->gid) < 0 || setresuid(nf->uid, nf->uid, nf->uid) < 0)
		return -EPERM;
	if (getresuid(&ru, &eu, &su) < 0 || ru != nf->uid || eu != nf->uid || su != nf->uid)
		return -EPERM;
	if (getresgid(&rg, &eg, &sg) < 0 || rg != nf->gid || eg != nf->gid || sg != nf->gid)
		return -EPERM;
	m = getgroups(nf->n_groups, nf->scratch);
	if (m < 0)
		return -EPERM;
	for (int i = 0; i < m; i++)
		if (!gid_listed(nf->scratch[i], nf->groups, nf->n_groups))
			return -EPERM;
	for (int i = 0; i < nf->n_groups; i++)
		if (!gid_listed(nf->groups[i], nf->scratch, m))
			return -EPERM;
	if (nf->uid != 0 && (setresuid(0, 0, 0) == 0 || errno != EPERM))
		return -EPERM;
	return 0;
}

static bool server_reads_markup(sd_bus *bus)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	const char *cap;

	if (sd_bus_call_method(bus, NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH,
			       NOTIFICATIONS_SERVICE, "GetCapabilities", NULL, &reply, "") < 0)
		return false;
	if (sd_bus_message_enter_container(reply, 'a', "s") < 0)
		return false;
	while (sd_bus_message_read(reply, "s", &cap) > 0)
		if (streq(cap, "body-markup"))
			return true;
	return false;
}

static int notify_as_user(const struct notification *nf, uint32_t *ret_id)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *escaped = NULL;
	char address[64];
	int r;

	if (nf->switch_user) {
		r = drop_privileges(nf);
		if (r < 0)
			return r;
	}
	snprintf(address, sizeof(address), "unix:path=/run/user/%u/bus", (unsigned)nf->uid);
	r = sd_bus_new(&bus);
	if (r < 0)
		return r;
	r = sd_bus_set_address(bus, address);
	if (r >= 0)
		r = sd_bus_set_bus_client(bus, true);
	if (r >= 0)
		r = sd_bus_set_method_call_timeout(bus, nf->timeout_usec);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r < 0)
		return r == -ETIMEDOUT ? -ETIME : r;
	if (server_reads_markup(bus)) {
		escaped = markup_escape(nf->text);
		if (!escaped)
			return -ENOMEM;
	}
	r = sd_bus_call_method(bus, NOTIFICATIONS_SERVICE, NOTIFICATIONS_PATH,
			       NOTIFICATIONS_SERVICE, "Notify", &error, &reply, "susssasa{sv}i",
			       "mpsession", nf->replaces, "", nf->title,
			       escaped ? escaped : nf->text, 0, 1, "urgency", "y", UINT8_C(2),
			       nf->expire_ms);
	if (r < 0)
		r = errno_from_bus_error(&error, r);
	/* sd-bus's own call timeout and our deadline are the same: one word for both */
	if (r == -ETIMEDOUT)
		return -ETIME;
	if (r < 0)
		return r;
	if (sd_bus_message_read(reply, "u", ret_id) < 0)
		*ret_id = 0;
	return 0;
}

/* Nothing of the caller's stays with the child: descriptors, keyring, signal mask. */
static void notifier_isolate(int reply_fd, pid_t parent)
{
	struct rlimit rl;
	sigset_t none;
	int null;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(reply_fd, 3) < 0)
		_exit(127);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(127);
	if (close_range(4, ~0U, 0) < 0) {
		unsigned max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536
				       ? (unsigned)rl.rlim_cur : 65536;

		for (unsigned fd = 4; fd < max; fd++)
			close((int)fd);
	}
	/* a keyring of its own, not root's session keyring */
	(void)syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(127);
}

/* Fork the notifier; its reply comes back on the returned pipe. */
static int notifier_start(const struct notification *nf, pid_t *ret_pid)
{
	pid_t parent = getpid(), pid;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = -errno;

		close(fds[0]);
		close(fds[1]);
		return e;
	}
	if (pid == 0) {
		struct notifier_reply reply = {};

		notifier_isolate(fds[1], parent);
		reply.result = notify_as_user(nf, &reply.id);
		if (write(3, &reply, sizeof(reply)) != sizeof(reply))
			_exit(127);
		_exit(reply.result < 0 ? 1 : 0);
	}
	close(fds[1]);
	*ret_pid = pid;
	return fds[0];
}

/* ---- delivery ---- */

enum channel {
	CHANNEL_TERMINAL,
	CHANNEL_NOTIFIER,
};

struct channel_state {
	enum channel kind;
	int fd;			/* -1 when closed */
	int result;		/* RUNNING, QUEUED, or final */
	dev_t rdev;		/* terminal */
	size_t written;		/* terminal */
	pid_t pid;		/* notifier, 0 before it is started */
	struct notification nf;	/* notifier, until it is started */
	uint32_t id;		/* the notification's, from the server */
};

#define RUNNING 1
#define QUEUED 2

struct delivery {
	struct notify_target *targets;
	struct channel_state *ch;	/* one per terminal, one per graphical user */
	size_t n_ch;
	size_t *target_ch;		/* the channel of each target, or SIZE_MAX */
	unsigned running;		/* notifiers started and not done */
};

static bool graphical(const char *type)
{
	return streq(type, "x11") || streq(type, "wayland") || streq(type, "mir");
}

/* A user's sessions share one session bus: one notification per user, queued here. */
static int add_notifier(struct delivery *d, size_t i, const struct notification *proto)
{
	struct channel_state *c = &d->ch[d->n_ch];
	uid_t uid = d->targets[i].uid;
	int r;

	for (size_t k = 0; k < i; k++)
		if (d->target_ch[k] != SIZE_MAX && d->ch[d->target_ch[k]].kind == CHANNEL_NOTIFIER &&
		    d->targets[k].uid == uid) {
			d->target_ch[i] = d->target_ch[k];
			return 0;
		}
	/* Only root can become another user; anyone can reach their own bus. */
	if (geteuid() != 0 && uid != geteuid())
		return -EACCES;
	*c = (struct channel_state){ .kind = CHANNEL_NOTIFIER, .fd = -1, .result = QUEUED,
				     .nf = *proto };
	c->nf.uid = uid;
	c->nf.replaces = d->targets[i].notification;
	c->nf.switch_user = uid != geteuid();
	if (c->nf.switch_user) {
		r = user_groups(&c->nf);
		if (r < 0)
			return r;
	}
	d->target_ch[i] = d->n_ch++;
	return 0;
}

/* Write what the terminal takes now; 0 when all is written, RUNNING for more, or -errno. */
static int terminal_push(struct channel_state *c, const char *text, size_t len)
{
	while (c->written < len) {
		ssize_t k = write(c->fd, text + c->written, len - c->written);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN)
			return RUNNING;
		if (k < 0)
			return -errno;
		c->written += (size_t)k;
	}
	return 0;
}

/*
 * Open the target's terminal and write at once; only a terminal that does not
 * take it all stays open, so that a thousand text sessions need no thousand
 * descriptors.  Two sessions on one terminal get the text once.
 */
static int add_terminal(struct delivery *d, size_t i, const char *text)
{
	struct channel_state *c = &d->ch[d->n_ch];
	dev_t rdev = 0;
	int fd = terminal_open(d->targets[i].tty, &rdev);

	if (fd < 0)
		return fd;
	for (size_t k = 0; k < d->n_ch; k++)
		if (d->ch[k].kind == CHANNEL_TERMINAL && d->ch[k].rdev == rdev) {
			close(fd);
			d->target_ch[i] = k;
			return 0;
		}
	*c = (struct channel_state){ .kind = CHANNEL_TERMINAL, .fd = fd, .rdev = rdev,
				     .result = RUNNING };
	c->result = terminal_push(c, text, strlen(text));
	if (c->result != RUNNING) {
		close(fd);
		c->fd = -1;
	}
	d->target_ch[i] = d->n_ch++;
	return 0;
}

static void notifier_launch(struct delivery *d, struct channel_state *c)
{
	c->fd = notifier_start(&c->nf, &c->pid);
	if (c->fd < 0) {
		c->result = c->fd;
		c->fd = -1;
		return;
	}
	c->result = RUNNING;
	d->running++;
}

static void notifier_read(struct delivery *d, struct channel_state *c)
{
	struct notifier_reply reply;
	ssize_t k;

	do
		k = read(c->fd, &reply, sizeof(reply));
	while (k < 0 && errno == EINTR);
	/* a notifier that died without a word, or said something odd */
	c->result = k != sizeof(reply) || reply.result > 0 ? -EIO : reply.result;
	c->id = k == sizeof(reply) ? reply.id : 0;
	d->running--;
}

static int run_channels(struct delivery *d, const char *tty_text, int interrupt_fd, uint64_t deadline)
{
	_cleanup_free_ struct pollfd *p = calloc(d->n_ch + 1, sizeof(*p));
	_cleanup_free_ size_t *which = calloc(d->n_ch + 1, sizeof(size_t));
	size_t len = strlen(tty_text);

	if (!p || !which)
		return -ENOMEM;
	for (;;) {
		uint64_t now = now_usec();
		nfds_t n = 0;
		int r;

		for (size_t i = 0; i < d->n_ch; i++) {
			struct channel_state *c = &d->ch[i];

			if (c->result == QUEUED && d->running < NOTIFIERS_MAX)
				notifier_launch(d, c);
			if (c->result == RUNNING && c->kind == CHANNEL_TERMINAL)
				c->result = terminal_push(c, tty_text, len);
			if (c->result != RUNNING)
				continue;
			p[n] = (struct pollfd){ .fd = c->fd,
						.events = c->kind == CHANNEL_TERMINAL ? POLLOUT : POLLIN };
			which[n++] = i;
		}
		/*
		 * Nothing to wait for is also nothing queued: a queued notifier is
		 * started above whenever fewer than NOTIFIERS_MAX run, and those
		 * that run are waited for.
		 */
		if (n == 0)
			return 0;
		if (now >= deadline)
			return -ETIME;
		if (interrupt_fd >= 0) {
			p[n] = (struct pollfd){ .fd = interrupt_fd, .events = POLLIN };
			which[n++] = SIZE_MAX;
		}
		r = poll(p, n, (int)((deadline - now + USEC_PER_MSEC - 1) / USEC_PER_MSEC));
		if (r < 0 && errno != EINTR)
			return -errno;
		for (nfds_t k = 0; k < n && r > 0; k++) {
			struct channel_state *c;

			if (!p[k].revents)
				continue;
			if (which[k] == SIZE_MAX)
				return -EINTR;
			c = &d->ch[which[k]];
			if (c->kind == CHANNEL_NOTIFIER)
				notifier_read(d, c);
			else if (p[k].revents & (POLLERR | POLLHUP | POLLNVAL))
				c->result = -EIO;
		}
	}
}

/*
 * Close everything.  Every notifier is killed, whatever it said: one that
 * answered has nothing left to do, and one that did not (a silent server, or
 * stopped by its user, who may signal it) must not hold us.  Then each is
 * reaped.
 */
static void channels_close(struct delivery *d)
{
	for (size_t i = 0; i < d->n_ch; i++) {
		struct channel_state *c = &d->ch[i];

		if (c->kind == CHANNEL_NOTIFIER) {
			if (c->pid > 0) {
				kill(c->pid, SIGKILL);
				while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
					;
			}
			free(c->nf.groups);
			free(c->nf.scratch);
		}
		if (c->fd >= 0)
			close(c->fd);
	}
}

/*
 * Deliver @text (and @title) to every target.  Each target's result is set
 * to STATIONS_DELIVERY_TERMINAL or STATIONS_DELIVERY_NOTIFICATION, or to a
 * negative errno saying why it was not delivered; its notification id to
 * the server's, for a later message to replace.  Returns the number not
 * delivered, or a negative errno for the run as a whole (-EINTR, -EMSGSIZE,
 * -EINVAL, -ENOMEM).
 */
int notify_deliver(struct stations_ctx *ctx, struct notify_target *targets, size_t n,
		   const char *title, const char *text, uint64_t expire_usec)
{
	_cleanup_free_ char *clean_title = NULL, *clean_text = NULL, *tty_text = NULL;
	_cleanup_free_ struct channel_state *ch = NULL;
	_cleanup_free_ size_t *target_ch = NULL;
	struct delivery d = { .targets = targets };
	struct notification proto = {};
	uint64_t timeout = ctx->timeout_usec < NOTIFY_MAX_USEC ? ctx->timeout_usec : NOTIFY_MAX_USEC;
	size_t failed = 0;
	int r;

	r = notify_sanitize(title ? title : DEFAULT_TITLE, TITLE_MAX, true, &clean_title);
	if (r < 0)
		return ctx_set_error(ctx, r, NULL,
				     r == -EMSGSIZE ? "the title is too long" : "the title is empty",
				     NULL);
	r = notify_sanitize(text, STATIONS_MESSAGE_MAX, false, &clean_text);
	if (r < 0)
		return ctx_set_error(ctx, r, NULL,
				     r == -EMSGSIZE ? "the message is too long" : "the message is empty",
				     NULL);
	tty_text = terminal_text(clean_title, clean_text);
	ch = calloc(n ? n : 1, sizeof(*ch));
	target_ch = calloc(n ? n : 1, sizeof(*target_ch));
	if (!tty_text || !ch || !target_ch)
		return -ENOMEM;
	d.ch = ch;
	d.target_ch = target_ch;

	proto.title = clean_title;
	proto.text = clean_text;
	proto.timeout_usec = timeout;
	if (expire_usec == 0)
		proto.expire_ms = -1;
	else if (expire_usec / USEC_PER_MSEC > INT32_MAX)
		proto.expire_ms = INT32_MAX;
	else
		proto.expire_ms = (int32_t)(expire_usec / USEC_PER_MSEC);

	for (size_t i = 0; i < n; i++) {
		struct notify_target *t = &targets[i];

		target_ch[i] = SIZE_MAX;
		if (t->gone)
			r = -ENXIO;
		else if (graphical(strempty(t->type)))
			r = add_notifier(&d, i, &proto);
		else if (t->tty && *t->tty)
			r = add_terminal(&d, i, tty_text);
		else
			r = -EOPNOTSUPP;
		t->result = r;
	}

	r = run_channels(&d, tty_text, ctx->interrupt_fd, now_usec() + timeout);
	for (size_t i = 0; i < d.n_ch; i++)
		if (ch[i].result == RUNNING || ch[i].result == QUEUED)
			ch[i].result = r < 0 ? r : -EIO;
	channels_close(&d);

	for (size_t i = 0; i < n; i++) {
		struct notify_target *t = &targets[i];

		if (target_ch[i] != SIZE_MAX) {
			struct channel_state *c = &ch[target_ch[i]];

			t->result = c->result < 0 ? c->result
				    : c->kind == CHANNEL_TERMINAL ? STATIONS_DELIVERY_TERMINAL
				    : STATIONS_DELIVERY_NOTIFICATION;
			if (c->kind == CHANNEL_NOTIFIER && c->result == 0)
				t->notification = c->id;
		}
		failed += t->result < 0;
	}
	if (r == -EINTR)
		return ctx_set_error(ctx, r, NULL, "interrupted while delivering the message", NULL);
	if (r == -ENOMEM)
		return r;
	return (int)failed;
}
