/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * flatpak/io.github.carnet.Carnet.json as Flathub's reviewers and linter see
 * it: the app's id and command, the GNOME runtime, exactly the permissions
 * Carnet needs (the keyring goes through the Secret portal, so no
 * org.freedesktop.secrets and no home access), every downloaded source pinned,
 * and the project itself built from the local folder; then the meson options
 * the manifest passes configure, build and install this project here, with
 * the files a Flatpak needs at the paths it needs them.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

static JsonObject *manifest;

static const char *
manifest_path (void)
{
  return g_getenv ("CARNET_FLATPAK_MANIFEST");
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)));
  return json_object_get_array_member (object, member);
}

static JsonObject *
last_module (void)
{
  JsonArray *modules = get_array (manifest, "modules");

  g_assert_cmpuint (json_array_get_length (modules), >, 0);
  return json_array_get_object_element (modules, json_array_get_length (modules) - 1);
}

static gboolean
is_hex (const char *text,
        gsize       length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

static void
test_identity (void)
{
  const char *version;

  /* What meson installs (desktop file, metainfo, schema, icons) is named
   * after APP_ID; a different app-id would export none of them. */
  g_assert_cmpstr (json_object_get_string_member (manifest, "app-id"), ==, APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, "carnet");
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");

  /* A stable branch (a number), not "master" or a nightly. */
  version = json_object_get_string_member (manifest, "runtime-version");
  g_assert_nonnull (version);
  g_assert_cmpuint (strlen (version), >, 0);
  for (const char *p = version; *p != '\0'; p++)
    g_assert_true (g_ascii_isdigit (*p));
}

static void
test_finish_args (void)
{
  static const char * const expected[] = {
    "--share=network", "--share=ipc", "--socket=wayland",
    "--socket=fallback-x11", "--device=dri",
  };
  JsonArray *args = get_array (manifest, "finish-args");
  guint n = json_array_get_length (args);

  for (guint i = 0; i < n; i++)
    {
      const char *arg = json_array_get_string_element (args, i);

      /* libsecret talks to the Secret portal inside the sandbox. */
      g_assert_false (g_str_has_prefix (arg, "--talk-name=org.freedesktop.secrets"));
      g_assert_false (g_str_has_prefix (arg, "--filesystem=home"));
      g_assert_false (g_str_has_prefix (arg, "--filesystem=host"));
      g_assert_false (g_str_equal (arg, "--socket=x11"));
      g_assert_false (g_str_equal (arg, "--socket=session-bus"));
      g_assert_true (g_strv_contains ((const char * const *) expected, arg) ||
                     (g_test_message ("unexpected finish-arg %s", arg), FALSE));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (json_array_get_string_element (args, j), !=, arg);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
}

static void
check_source (const char *module,
              JsonObject *source)
{
  const char *type = json_object_get_string_member_with_default (source, "type", "");

  if (g_str_equal (type, "git"))
    {
      /* A tag alone can move; the commit makes the build reproducible. */
      g_test_message ("%s: git source", module);
      g_assert_nonnull (json_object_get_string_member_with_default (source, "tag", NULL));
      g_assert_true (is_hex (json_object_get_string_member_with_default (source, "commit", NULL), 40));
      g_assert_false (json_object_has_member (source, "branch"));
    }
  else if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
    {
      const char *url = json_object_get_string_member_with_default (source, "url", "");

      g_test_message ("%s: %s source %s", module, type, url);
      g_assert_true (g_str_has_prefix (url, "https://"));
      g_assert_true (is_hex (json_object_get_string_member_with_default (source, "sha256", NULL), 64));
    }
  else if (g_str_equal (type, "dir"))
    {
      /* Only the project itself comes from a local folder. */
      g_assert_cmpstr (module, ==, "carnet");
    }
  else
    {
      g_test_message ("%s: source type %s is not allowed here", module, type);
      g_assert_not_reached ();
    }
}

static void
test_sources_pinned (void)
{
  JsonArray *modules = get_array (manifest, "modules");

  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      const char *name = json_object_get_string_member (module, "name");
      JsonArray *sources = get_array (module, "sources");

      g_assert_cmpuint (json_array_get_length (sources), >, 0);
      for (guint j = 0; j < json_array_get_length (sources); j++)
        check_source (name, json_array_get_object_element (sources, j));
    }
}

static void
test_last_module_is_project (void)
{
  JsonObject *module = last_module ();
  JsonArray *sources = get_array (module, "sources");
  JsonObject *source;

  g_assert_cmpstr (json_object_get_string_member (module, "name"), ==, "carnet");
  g_assert_cmpstr (json_object_get_string_member (module, "buildsystem"), ==, "meson");
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  source = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "dir");
  g_assert_cmpstr (json_object_get_string_member (source, "path"), ==, "..");

  /* ".." from flatpak/ is the folder holding the top meson.build. */
  {
    g_autofree char *dir = g_path_get_dirname (manifest_path ());
    g_autofree char *top = g_build_filename (dir, "..", "meson.build", NULL);
    g_assert_true (g_file_test (top, G_FILE_TEST_IS_REGULAR));
  }
}

static void
test_webkit_from_runtime (void)
{
  JsonArray *modules = get_array (manifest, "modules");
  JsonArray *opts = get_array (last_module (), "config-opts");
  gboolean enabled = FALSE;

  /* The EduConnect login needs the web view: asked for explicitly, so that
   * a runtime without WebKitGTK fails the build instead of giving a Carnet
   * without EduConnect. */
  for (guint i = 0; i < json_array_get_length (opts); i++)
    {
      const char *opt = json_array_get_string_element (opts, i);

      g_assert_false (g_str_has_prefix (opt, "-Dwebkit=") && !g_str_equal (opt, "-Dwebkit=enabled"));
      enabled |= g_str_equal (opt, "-Dwebkit=enabled");
    }
  g_assert_true (enabled);

  /* WebKitGTK is part of org.gnome.Platform: never built here. */
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      g_autofree char *name = g_ascii_strdown (json_object_get_string_member (json_array_get_object_element (modules, i), "name"), -1);

      g_assert_null (strstr (name, "webkit"));
    }
}

static void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *cmd = g_strjoinv (" ", (char **) argv);
  int status = 0;

  g_test_message ("running %s", cmd);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *tail = g_strdup (out != NULL && strlen (out) > 3000 ? out + strlen (out) - 3000 : out);
      g_test_message ("%s failed:\n%s", cmd, tail);
      g_assert_not_reached ();
    }
}

static void
test_meson_options_build (void)
{
  g_autofree char *dir = g_path_get_dirname (manifest_path ());
  g_autofree char *source = g_canonicalize_filename ("..", dir);
  g_autofree char *tmp = NULL;
  g_autofree char *build = NULL;
  g_autofree char *dest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) setup = g_ptr_array_new ();
  JsonObject *module = last_module ();
  static const char * const installed[] = {
    "app/bin/carnet",
    "app/share/applications/" APP_ID ".desktop",
    "app/share/metainfo/" APP_ID ".metainfo.xml",
    "app/share/glib-2.0/schemas/" APP_ID ".gschema.xml",
    "app/share/icons/hicolor/scalable/apps/" APP_ID ".svg",
    "app/share/icons/hicolor/symbolic/apps/" APP_ID "-symbolic.svg",
    "app/share/locale/fr/LC_MESSAGES/carnet.mo",
  };

  if (g_getenv ("CARNET_TEST_SKIP_FLATPAK_BUILD") != NULL)
    {
      g_test_skip ("CARNET_TEST_SKIP_FLATPAK_BUILD is set");
      return;
    }

  tmp = g_dir_make_tmp ("carnet-flatpak-options.XXXXXX", &error);
  g_assert_no_error (error);
  build = g_build_filename (tmp, "build", NULL);
  dest = g_build_filename (tmp, "dest", NULL);

  /* What flatpak-builder runs for a meson module (with the manifest's
   * libdir), followed by the module's own config-opts. */
  g_ptr_array_add (setup, (char *) "meson");
  g_ptr_array_add (setup, (char *) "setup");
  g_ptr_array_add (setup, (char *) "--prefix=/app");
  g_ptr_array_add (setup, (char *) "--libdir=lib");
  g_ptr_array_add (setup, (char *) "--buildtype=release");
  if (json_object_has_member (module, "config-opts"))
    {
      JsonArray *opts = get_array (module, "config-opts");

      for (guint i = 0; i < json_array_get_length (opts); i++)
        g_ptr_array_add (setup, (char *) json_array_get_string_element (opts, i));
    }
  g_ptr_array_add (setup, build);
  g_ptr_array_add (setup, source);
  g_ptr_array_add (setup, NULL);
  run ((const char * const *) setup->pdata);

  run ((const char * const *) (const char *[]) { "meson", "compile", "-C", build, NULL });
  run ((const char * const *) (const char *[]) { "meson", "install", "-C", build,
                                                 "--destdir", dest, "--no-rebuild", NULL });

  for (gsize i = 0; i < G_N_ELEMENTS (installed); i++)
    {
      g_autofree char *path = g_build_filename (dest, installed[i], NULL);

      g_test_message ("installed: %s", installed[i]);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  /* -Dtests=false: neither the test ENT nor the test programs are built. */
  {
    g_autofree char *server = g_build_filename (build, "tests", NULL);
    g_assert_false (g_file_test (server, G_FILE_TEST_EXISTS));
  }

  run ((const char * const *) (const char *[]) { "rm", "-rf", tmp, NULL });
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (manifest_path ());
  parser = json_parser_new ();
  json_parser_load_from_file (parser, manifest_path (), &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  manifest = json_node_get_object (root);

  g_test_add_func ("/flatpak/manifest/identity", test_identity);
  g_test_add_func ("/flatpak/manifest/finish-args", test_finish_args);
  g_test_add_func ("/flatpak/manifest/sources-pinned", test_sources_pinned);
  g_test_add_func ("/flatpak/manifest/last-module-is-project", test_last_module_is_project);
  g_test_add_func ("/flatpak/manifest/webkit-from-runtime", test_webkit_from_runtime);
  g_test_add_func ("/flatpak/manifest/meson-options-build", test_meson_options_build);

  return g_test_run ();
}
