/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "internal.h"

/*
 * D-Bus errors mapped to the errno values the header promises.  sd-bus knows
 * only the generic org.freedesktop.DBus.Error names, and logind's own names
 * would otherwise all come out as -EIO.
 */
static const struct {
	const char *name;
	int error;
} error_map[] = {
	{ "org.freedesktop.login1.NoSuchSession", ENXIO },
	{ "org.freedesktop.login1.NoSuchSeat", ENXIO },
	{ "org.freedesktop.login1.NoSuchUser", ENXIO },
	{ "org.freedesktop.login1.NoSessionForPID", ENXIO },
	{ "org.freedesktop.login1.NoSeatForPID", ENXIO },
	{ "org.freedesktop.login1.NoUserForPID", ENXIO },
	{ "org.freedesktop.systemd1.NoSuchUnit", ENXIO },
	{ "org.freedesktop.DBus.Error.UnknownObject", ENXIO },
	{ "org.freedesktop.DBus.Error.AccessDenied", EACCES },
	{ "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", EACCES },
	{ "org.freedesktop.PolicyKit1.Error.NotAuthorized", EACCES },
	{ "org.freedesktop.PolicyKit1.Error.Cancelled", EACCES },
	{ "org.freedesktop.DBus.Error.ServiceUnknown", EHOSTDOWN },
	{ "org.freedesktop.DBus.Error.NameHasNoOwner", EHOSTDOWN },
	{ "org.freedesktop.DBus.Error.NoServer", EHOSTDOWN },
	{ "org.freedesktop.DBus.Error.Disconnected", EHOSTDOWN },
	{ "org.freedesktop.systemd1.UnitMasked", EHOSTDOWN },
	{ "org.freedesktop.DBus.Error.NoReply", ETIMEDOUT },
	{ "org.freedesktop.DBus.Error.Timeout", ETIMEDOUT },
	{ "org.freedesktop.DBus.Error.TimedOut", ETIMEDOUT },
	{ "org.freedesktop.DBus.Error.LimitsExceeded", ENOBUFS },
	{ "org.freedesktop.DBus.Error.NotSupported", EOPNOTSUPP },
	{ "org.freedesktop.DBus.Error.UnknownMethod", EOPNOTSUPP },
	{ "org.freedesktop.DBus.Error.InvalidArgs", EINVAL },
};

int errno_from_bus_error(const sd_bus_error *error, int fallback)
{
	if (!error || !sd_bus_error_is_set(error))
		return fallback < 0 ? fallback : -EIO;

	for (size_t i = 0; i < ELEMENTSOF(error_map); i++)
		if (streq(error->name, error_map[i].name))
			return -error_map[i].error;

	/* The bus daemon's activation failures: logind cannot be started. */
	if (strncmp(error->name, "org.freedesktop.DBus.Error.Spawn.", 33) == 0)
		return -EHOSTDOWN;

	if (fallback < 0)
		return fallback;
	return -sd_bus_error_get_errno(error) ?: -EIO;
}

/*
 * The errno of an error reply.  When the bus daemon itself answers a call
 * meant for a service, the service is not there: it is not running and could
 * not be activated (a masked unit shows up as FileExists, for one), however
 * the daemon names it.  Only its policy refusals mean something else.
 */
int errno_from_reply(sd_bus_message *reply)
{
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	const char *sender = sd_bus_message_get_sender(reply);
	int r = errno_from_bus_error(e, -EIO);

	if (sender && streq(sender, "org.freedesktop.DBus") && r != -EACCES && r != -ETIMEDOUT &&
	    r != -ENOBUFS)
		return -EHOSTDOWN;
	return r;
}
