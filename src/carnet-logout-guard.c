/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-guard"

/* carnet-logout-guard PROGRAM [ARGUMENT…]
 *
 * A shared machine's last resort (DESIGN.md, shared machines; issue 13):
 * Carnet runs as this program's child, and tells it over a pipe (file
 * descriptor 3 in the child, named by CARNET_GUARD_FD) which ENT session is
 * open. When the child ends while a session is still open — the display was
 * lost (GTK ends the process at once with _exit(), for X11 and Wayland
 * alike), a crash, a kill — the guard sends the ENT's logout itself, within
 * CARNET_GUARD_LOGOUT_SECONDS, then exits with the child's status. When
 * Carnet logged out itself it said so ("end") and nothing is sent.
 *
 * The guard is the parent, not a helper Carnet starts: in a Flatpak
 * sandbox every process goes with the main one.
 *
 * Lines on the pipe (one at most 16 KiB):
 *   ca PATH                   trust only the CAs in PATH (the --ca-file)
 *   session BASE-URL COOKIES  the session: https://host[:port] and the
 *                             Cookie header the ENT's logout needs
 *   end                       no session open any more
 * Signals SIGTERM, SIGHUP and SIGINT are passed on to the child, which
 * closes as with Ctrl+Q. The session's cookies stay in this process's
 * memory only (not dumpable, wiped when replaced), never in a file or log.
 *
 * The logout is GET /auth/logout?callback=/ with the Cookie header, and no
 * redirect is ever followed by libsoup: the Cookie header is set by hand,
 * so a followed redirect would carry it to whatever host the Location
 * names. A federated session (EduConnect, issue 15) is not closed by that
 * request: entcore answers it with a 302 to its own /auth/saml/slo
 * (AuthController.logout, AC:991-1021, "slo": true) and leaves the session
 * open; the slo closes it and answers a 302 to the identity provider's
 * logout (AbstractFederateController, AFC:148-173). So when the logout's
 * answer is a redirect to /auth/saml/slo on the session's own origin
 * (scheme, host and port), the guard GETs that too, with the same Cookie
 * header and again no redirect followed; any other redirect (the password
 * account's 302 to "/", anything on another host) ends the logout. The
 * identity provider is never contacted: its session, if any, is the web
 * view's, which went with Carnet; and the ENT's cookies must not reach it.
 * The two requests share the one CARNET_GUARD_LOGOUT_SECONDS bound.
 *
 * Why the guard follows the ENT's answer rather than being told "this
 * session is federated" over the pipe: no change to the pipe's lines nor
 * to Carnet, and the ENT is the one that knows which logout its session
 * needs. The cost is one more round trip, for federated sessions only. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#define CARNET_GUARD_LOGOUT_SECONDS 5
#define MAX_LINE (16 * 1024)

typedef struct
{
  GMainLoop   *loop;
  GSubprocess *child;
  int          fd;
  GString     *pending;
  char        *ca_file;
  char        *base_url;
  char        *cookies;
  int          status;
  GCancellable *cancellable;
  guint        fd_source_id;
} Guard;

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
forget_session (Guard *guard)
{
  g_clear_pointer (&guard->base_url, g_free);
  g_clear_pointer (&guard->cookies, wipe_free);
}

static void
handle_line (Guard *guard,
             char  *line)
{
  if (g_str_equal (line, "end"))
    {
      g_debug ("No session open");
      forget_session (guard);
    }
  else if (g_str_has_prefix (line, "ca "))
    {
      g_free (guard->ca_file);
      guard->ca_file = g_strdup (line + strlen ("ca "));
    }
  else if (g_str_has_prefix (line, "session "))
    {
      const char *base = line + strlen ("session ");
      const char *space = strchr (base, ' ');

      /* Credentials never go over plain HTTP. */
      if (space == NULL || space[1] == '\0' || !g_str_has_prefix (base, "https://"))
        {
          g_debug ("A session line that is not one was ignored");
          return;
        }

      forget_session (guard);
      guard->base_url = g_strndup (base, (gsize) (space - base));
      guard->cookies = g_strdup (space + 1);
      g_debug ("A session is open with %s", guard->base_url);
    }
  else
    g_debug ("An unknown line was ignored");
}

/* Reads what is there; FALSE at the end of the pipe or on an error. */
static gboolean
read_available (Guard *guard)
{
  char buffer[4096];
  gboolean open = TRUE;

  for (;;)
    {
      ssize_t n = read (guard->fd, buffer, sizeof buffer);
      char *newline;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      if (n <= 0)
        {
          open = FALSE;
          break;
        }

      g_string_append_len (guard->pending, buffer, n);
      explicit_bzero (buffer, (size_t) n);

      while ((newline = memchr (guard->pending->str, '\n', guard->pending->len)) != NULL)
        {
          gsize length = (gsize) (newline - guard->pending->str);

          *newline = '\0';
          handle_line (guard, guard->pending->str);
          explicit_bzero (guard->pending->str, length);
          g_string_erase (guard->pending, 0, (gssize) length + 1);
        }

      if (guard->pending->len > MAX_LINE)
        {
          g_debug ("A line too long was dropped");
          explicit_bzero (guard->pending->str, guard->pending->len);
          g_string_truncate (guard->pending, 0);
        }
    }

  return open;
}

static gboolean
fd_readable_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  Guard *guard = user_data;

  if (!read_available (guard))
    {
      guard->fd_source_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
logout_timeout_cb (gpointer user_data)
{
  Guard *guard = user_data;

  g_debug ("The ENT did not answer the logout in time");
  g_cancellable_cancel (guard->cancellable);

  return G_SOURCE_REMOVE;
}

/* The same origin as the session's base URL: scheme, host and port. */
static gboolean
same_origin (GUri *uri,
             GUri *base)
{
  int port = g_uri_get_port (uri);
  int base_port = g_uri_get_port (base);

  if (port == -1)
    port = 443;
  if (base_port == -1)
    base_port = 443;

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 &&
         g_ascii_strcasecmp (g_uri_get_scheme (base), "https") == 0 &&
         g_uri_get_host (uri) != NULL && g_uri_get_host (base) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (base)) == 0 &&
         port == base_port;
}

/* The ENT's /auth/saml/slo on the session's own origin when @message's
 * answer is a redirect there (a federated session's /auth/logout), else
 * NULL. */
static GUri *
slo_redirect (SoupMessage *message)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                       "Location");
  GUri *request_uri = soup_message_get_uri (message);
  g_autoptr(GUri) target = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (message)) || location == NULL)
    return NULL;

  target = g_uri_parse_relative (request_uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL || !same_origin (target, request_uri) ||
      g_strcmp0 (g_uri_get_path (target), "/auth/saml/slo") != 0)
    return NULL;

  return g_steal_pointer (&target);
}

static void send_logout_request (Guard       *guard,
                                 SoupSession *session,
                                 GUri        *uri);

static void
logout_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Guard *guard = user_data;
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(SoupMessage) message = g_object_ref (soup_session_get_async_result_message (session, result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) slo = NULL;

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    {
      g_debug ("The ENT was not told about the logout: %s", error->message);
      g_main_loop_quit (guard->loop);
      return;
    }

  /* Only the first answer may lead on: the slo's own redirect goes to
   * the identity provider, never followed. */
  if (g_str_equal (g_uri_get_path (soup_message_get_uri (message)), "/auth/logout"))
    slo = slo_redirect (message);
  if (slo != NULL)
    {
      g_debug ("A federated session: on to the ENT's SAML logout");
      send_logout_request (guard, session, slo);
      return;
    }

  g_debug ("The ENT was told about the logout");
  g_main_loop_quit (guard->loop);
}

/* GET @uri with the session's cookies, no redirect followed. */
static void
send_logout_request (Guard       *guard,
                     SoupSession *session,
                     GUri        *uri)
{
  g_autoptr(SoupMessage) message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_append (soup_message_get_request_headers (message), "Cookie", guard->cookies);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, guard->cancellable,
                                    logout_done_cb, guard);
}

static gboolean
log_out (Guard *guard)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout_id;

  session = soup_session_new_with_options ("timeout", CARNET_GUARD_LOGOUT_SECONDS, NULL);
  if (guard->ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (guard->ca_file, &error);

      if (database == NULL)
        {
          g_debug ("No logout: the CA file cannot be read: %s", error->message);
          return FALSE;
        }
      soup_session_set_tls_database (session, database);
    }

  text = g_strconcat (guard->base_url, "/auth/logout?callback=/", NULL);
  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  /* One bound for the logout and, for a federated session, the slo. */
  guard->cancellable = g_cancellable_new ();
  timeout_id = g_timeout_add_seconds (CARNET_GUARD_LOGOUT_SECONDS, logout_timeout_cb, guard);
  send_logout_request (guard, session, uri);
  g_main_loop_run (guard->loop);
  g_source_remove (timeout_id);
  g_clear_object (&guard->cancellable);

  return TRUE;
}

static void
child_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Guard *guard = user_data;
  GSubprocess *child = G_SUBPROCESS (object);

  g_subprocess_wait_finish (child, result, NULL);
  if (g_subprocess_get_if_exited (child))
    guard->status = g_subprocess_get_exit_status (child);
  else if (g_subprocess_get_if_signaled (child))
    guard->status = 128 + g_subprocess_get_term_sig (child);
  else
    guard->status = 1;

  g_main_loop_quit (guard->loop);
}

static gboolean
pass_signal_cb (gpointer user_data)
{
  Guard *guard = user_data;

  if (guard->child == NULL)
    return G_SOURCE_CONTINUE;

  /* The same for the three: the child closes its windows as with Ctrl+Q. */
  g_subprocess_send_signal (guard->child, SIGTERM);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit no_core = { 0, 0 };
  Guard guard = { 0, };
  int fds[2];

  if (argc < 2)
    {
      g_printerr ("Usage: %s PROGRAM [ARGUMENT…]\n", argv[0]);
      return 2;
    }

  /* It holds a session cookie: no core file, and nobody can attach. */
  setrlimit (RLIMIT_CORE, &no_core);
#ifdef __linux__
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, &error) ||
      !g_unix_set_fd_nonblocking (fds[0], TRUE, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  guard.loop = g_main_loop_new (NULL, FALSE);
  /* Before the child starts: a signal sent as soon as it runs is passed
   * on, not the end of the guard. */
  g_unix_signal_add (SIGTERM, pass_signal_cb, &guard);
  g_unix_signal_add (SIGHUP, pass_signal_cb, &guard);
  g_unix_signal_add (SIGINT, pass_signal_cb, &guard);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_setenv (launcher, "CARNET_GUARD_FD", "3", TRUE);
  guard.child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv + 1, &error);
  /* The write end goes with the launcher: only the child holds it now. */
  g_clear_object (&launcher);
  if (guard.child == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 127;
    }

  signal (SIGPIPE, SIG_IGN);
  guard.fd = fds[0];
  guard.pending = g_string_new (NULL);
  guard.status = 1;

  guard.fd_source_id = g_unix_fd_add (guard.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, fd_readable_cb, &guard);
  g_subprocess_wait_async (guard.child, NULL, child_exited_cb, &guard);
  g_main_loop_run (guard.loop);

  /* What the child wrote before it ended is all in the pipe. */
  read_available (&guard);
  g_clear_handle_id (&guard.fd_source_id, g_source_remove);
  close (guard.fd);

  if (guard.base_url != NULL)
    {
      g_debug ("Carnet ended with a session open: logging it out");
      log_out (&guard);
    }

  forget_session (&guard);
  explicit_bzero (guard.pending->str, guard.pending->len);
  g_string_free (guard.pending, TRUE);
  g_free (guard.ca_file);
  g_object_unref (guard.child);
  g_main_loop_unref (guard.loop);

  return guard.status;
}
