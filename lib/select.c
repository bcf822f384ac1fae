/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <pwd.h>
#include <unistd.h>

#include "internal.h"

#define ID_MAX 64

struct strv {
	char **v;
	size_t n;
};

struct stations_selector {
	unsigned flags;
	struct strv ids;
	struct strv filters[STATIONS_FILTER_STATE + 1];
};

static const char *const session_classes[] = {
	"user", "user-early", "user-incomplete", "user-light", "user-early-light",
	"greeter", "lock-screen", "background", "background-light",
	"manager", "manager-early", "none",
};

static const char *const session_states[] = { "opening", "online", "active", "closing" };

/* Classes that --all and the filters leave out unless a class filter names them. */
static bool class_excluded_by_default(const char *class)
{
	return streq(class, "greeter") || streq(class, "lock-screen") ||
	       strncmp(class, "background", 10) == 0 || strncmp(class, "manager", 7) == 0 ||
	       streq(class, "none");
}

static bool in_set(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (streq(s, set[i]))
			return true;
	return false;
}

static bool all_in_charset(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!isascii((unsigned char)*s) ||
		    !(isalnum((unsigned char)*s) || (extra && strchr(extra, *s))))
			return false;
	return true;
}

/* Session ids are what logind makes: letters and digits only. */
int session_id_valid(const char *id)
{
	return id && *id && strlen(id) <= ID_MAX && all_in_charset(id, NULL);
}

/* "seat0", or "seat" followed by letters, digits, '-' and '_'. */
int station_id_valid(const char *id)
{
	return id && strncmp(id, "seat", 4) == 0 && id[4] && strlen(id) <= ID_MAX &&
	       all_in_charset(id + 4, "-_");
}

static bool uid_string(const char *s, uid_t *ret)
{
	unsigned long long u = 0;

	if (!*s || strlen(s) > 10)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		u = u * 10 + (unsigned)(*p - '0');
	}
	if (u >= UINT32_MAX)	/* (uid_t) -1 is never a user */
		return false;
	*ret = (uid_t)u;
	return true;
}

/* A portable user name, as useradd accepts it; a trailing '$' for machine accounts. */
static bool user_name_valid(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 256 || s[0] == '-')
		return false;
	/* all digits is a uid or nothing; useradd refuses such names too */
	if (strspn(s, "0123456789") == len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isascii(c) && (isalnum(c) || c == '_' || c == '.' || c == '-'))
			continue;
		if (c == '$' && i == len - 1)
			continue;
		return false;
	}
	return true;
}

static int strv_push(struct strv *sv, const char *s)
{
	char **nv, *copy;

	for (size_t i = 0; i < sv->n; i++)
		if (streq(sv->v[i], s))
			return 0;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	nv = realloc(sv->v, (sv->n + 1) * sizeof(char *));
	if (!nv) {
		free(copy);
		return -ENOMEM;
	}
	sv->v = nv;
	sv->v[sv->n++] = copy;
	return 0;
}

static void strv_clear(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

_public_ int stations_selector_new(struct stations_selector **ret_selector)
{
	struct stations_selector *sel;

	if (!ret_selector)
		return -EINVAL;
	sel = calloc(1, sizeof(*sel));
	if (!sel)
		return -ENOMEM;
	*ret_selector = sel;
	return 0;
}

_public_ struct stations_selector *stations_selector_free(struct stations_selector *selector)
{
	if (!selector)
		return NULL;
	strv_clear(&selector->ids);
	for (size_t i = 0; i < ELEMENTSOF(selector->filters); i++)
		strv_clear(&selector->filters[i]);
	free(selector);
	return NULL;
}

_public_ int stations_selector_set_flags(struct stations_selector *selector, unsigned flags)
{
	const unsigned known = STATIONS_SELECT_ALL | STATIONS_SELECT_INCLUDE_SELF |
			       STATIONS_SELECT_INCLUDE_ROOT;

	if (!selector || (flags & ~known))
		return -EINVAL;
	selector->flags = flags;
	return 0;
}

_public_ int stations_selector_add_id(struct stations_selector *selector, const char *id)
{
	if (!selector || !id)
		return -EINVAL;
	if (!streq(id, "self") && !session_id_valid(id))
		return -EINVAL;
	return strv_push(&selector->ids, id);
}

_public_ int stations_selector_add_filter(struct stations_selector *selector,
					  enum stations_filter field, const char *value)
{
	uid_t uid;
	bool ok;

	if (!selector || !value || (unsigned)field >= ELEMENTSOF(selector->filters))
		return -EINVAL;
	switch (field) {
	case STATIONS_FILTER_USER:
		ok = uid_string(value, &uid) || user_name_valid(value);
		break;
	case STATIONS_FILTER_STATION:
		ok = station_id_valid(value);
		break;
	case STATIONS_FILTER_CLASS:
		ok = in_set(value, session_classes, ELEMENTSOF(session_classes));
		break;
	case STATIONS_FILTER_STATE:
		ok = in_set(value, session_states, ELEMENTSOF(session_states));
		break;
	default:
		ok = false;
	}
	if (!ok)
		return -EINVAL;
	return strv_push(&selector->filters[field], value);
}

static bool has_filters(const struct stations_selector *sel)
{
	for (size_t i = 0; i < ELEMENTSOF(sel->filters); i++)
		if (sel->filters[i].n > 0)
			return true;
	return false;
}

static bool user_matches(const struct stations_session *s, const char *value)
{
	uid_t uid;

	if (uid_string(value, &uid))
		return s->uid == uid;
	return streq(strempty(s->user), value);
}

static bool matches_any(const struct strv *sv, const struct stations_session *s,
			enum stations_filter field)
{
	if (sv->n == 0)
		return true;
	for (size_t i = 0; i < sv->n; i++) {
		const char *v = sv->v[i];
		bool m;

		switch (field) {
		case STATIONS_FILTER_USER:
			m = user_matches(s, v);
			break;
		case STATIONS_FILTER_STATION:
			m = streq(strempty(s->station), v);
			break;
		case STATIONS_FILTER_CLASS:
			m = streq(strempty(s->class), v);
			break;
		case STATIONS_FILTER_STATE:
			m = streq(strempty(s->state), v);
			break;
		default:
			m = false;
		}
		if (m)
			return true;
	}
	return false;
}

/* A user named by a filter must exist: in the snapshot or in the user database. */
static bool user_known(const struct stations_snapshot *snap, const char *value)
{
	struct passwd pw, *result = NULL;
	char buf[4096];
	uid_t uid;

	if (uid_string(value, &uid))
		return true;
	for (size_t i = 0; i < snap->n_sessions; i++)
		if (streq(strempty(snap->sessions[i].user), value))
			return true;
	return getpwnam_r(value, &pw, buf, sizeof(buf), &result) == 0 && result;
}

static int check_filters(struct stations_ctx *ctx, const struct stations_snapshot *snap,
			 const struct stations_selector *sel)
{
	const struct strv *users = &sel->filters[STATIONS_FILTER_USER];
	const struct strv *stations = &sel->filters[STATIONS_FILTER_STATION];

	for (size_t i = 0; i < users->n; i++)
		if (!user_known(snap, users->v[i]))
			return ctx_set_error(ctx, -ENXIO, NULL, "no such user", users->v[i]);
	for (size_t i = 0; i < stations->n; i++)
		if (!stations_snapshot_find_station(snap, stations->v[i]))
			return ctx_set_error(ctx, -ENXIO, NULL, "no such station", stations->v[i]);
	return 0;
}

static bool passes(const struct stations_snapshot *snap, const struct stations_selector *sel,
		   const struct stations_session *s)
{
	if (!(sel->flags & STATIONS_SELECT_INCLUDE_SELF) && snap->self_id && streq(s->id, snap->self_id))
		return false;
	if (!(sel->flags & STATIONS_SELECT_INCLUDE_ROOT) && s->uid == 0)
		return false;
	if (sel->filters[STATIONS_FILTER_CLASS].n == 0 && class_excluded_by_default(strempty(s->class)))
		return false;
	for (size_t f = 0; f < ELEMENTSOF(sel->filters); f++)
		if (!matches_any(&sel->filters[f], s, (enum stations_filter)f))
			return false;
	return true;
}

_public_ int stations_select(struct stations_ctx *ctx, const struct stations_snapshot *snapshot,
			     const struct stations_selector *selector,
			     const struct stations_session ***ret_sessions)
{
	const struct stations_session **list = NULL;
	bool want_all, *picked;
	size_t n = 0;
	int r;

	if (!ctx || !snapshot || !selector || !ret_sessions)
		return -EINVAL;
	ctx_clear_error(ctx);

	want_all = (selector->flags & STATIONS_SELECT_ALL) || has_filters(selector);
	if (selector->ids.n > 0 && want_all)
		return ctx_set_error(ctx, -EINVAL, NULL,
				     "session ids cannot be combined with --all or filters", NULL);
	if (selector->ids.n == 0 && !want_all)
		return ctx_set_error(ctx, -EINVAL, NULL, "no session selected", NULL);

	picked = calloc(snapshot->n_sessions + 1, sizeof(bool));
	if (!picked)
		return -ENOMEM;

	for (size_t i = 0; i < selector->ids.n; i++) {
		const char *id = selector->ids.v[i];
		const struct stations_session *s;

		if (streq(id, "self")) {
			s = stations_snapshot_self(snapshot);
			if (!s) {
				free(picked);
				return ctx_set_error(ctx, -ENXIO, NULL, "not running in a session", "self");
			}
		} else {
			s = stations_snapshot_find_session(snapshot, id);
			if (!s) {
				free(picked);
				return ctx_set_error(ctx, -ENXIO, NULL, "no such session", id);
			}
		}
		picked[s - snapshot->sessions] = true;
	}

	if (want_all) {
		r = check_filters(ctx, snapshot, selector);
		if (r < 0) {
			free(picked);
			return r;
		}
		for (size_t i = 0; i < snapshot->n_sessions; i++)
			if (passes(snapshot, selector, &snapshot->sessions[i]))
				picked[i] = true;
	}

	for (size_t i = 0; i < snapshot->n_sessions; i++)
		n += picked[i];
	if (n > 0) {
		list = calloc(n, sizeof(*list));
		if (!list) {
			free(picked);
			return -ENOMEM;
		}
		n = 0;
		for (size_t i = 0; i < snapshot->n_sessions; i++)
			if (picked[i])
				list[n++] = &snapshot->sessions[i];
	}
	free(picked);
	*ret_sessions = list;
	return (int)n;
}
