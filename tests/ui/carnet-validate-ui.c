/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-validate-ui"

/* Validates .ui files the way gtk4-builder-tool validate does, for what
 * that tool cannot do with Carnet's files: GTK 4.8's tool does not know
 * libadwaita's types (it looks up a template's parent by name only), and it
 * looks signal handlers up as global symbols, which template callbacks are
 * not. Here libadwaita and Carnet's classes are registered first, then:
 *  - a file without <template> is loaded by a plain GtkBuilder;
 *  - a template is loaded from the file itself onto a fresh subclass of its
 *    parent (as the tool does), handlers accepted by name; then the real
 *    class is instantiated, which binds the children and callbacks it names
 *    (the same file, compiled into the resource).
 * Usage: carnet-validate-ui FILE.ui…; exit status 1 on the first error. */

#include "config.h"

#include <adwaita.h>

#include "carnet-account-page.h"
#include "carnet-activation-page.h"
#include "carnet-charter-page.h"
#include "carnet-forgot-login-page.h"
#include "carnet-forgot-password-page.h"
#include "carnet-login-page.h"
#include "carnet-mail-page.h"
#include "carnet-new-password-group.h"
#include "carnet-password-page.h"
#include "carnet-welcome-page.h"
#include "carnet-window.h"

/* A scope that accepts every handler name (checked on the real class);
 * types are found as GtkBuilder's own scope finds them. */
#define VALIDATE_TYPE_SCOPE (validate_scope_get_type ())
G_DECLARE_FINAL_TYPE (ValidateScope, validate_scope, VALIDATE, SCOPE, GtkBuilderCScope)

struct _ValidateScope
{
  GtkBuilderCScope parent_instance;
};

static void
noop (void)
{
}

static GClosure *
validate_scope_create_closure (GtkBuilderScope        *scope,
                               GtkBuilder             *builder,
                               const char             *function_name,
                               GtkBuilderClosureFlags  flags,
                               GObject                *object,
                               GError                **error)
{
  return g_cclosure_new (G_CALLBACK (noop), NULL, NULL);
}

static void
validate_scope_iface_init (GtkBuilderScopeInterface *iface)
{
  GtkBuilderScopeInterface *parent = g_type_interface_peek_parent (iface);

  iface->get_type_from_name = parent->get_type_from_name;
  iface->get_type_from_function = parent->get_type_from_function;
  iface->create_closure = validate_scope_create_closure;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (ValidateScope, validate_scope, GTK_TYPE_BUILDER_CSCOPE,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE, validate_scope_iface_init))

static void
validate_scope_class_init (ValidateScopeClass *klass)
{
}

static void
validate_scope_init (ValidateScope *self)
{
}

static void
destroy_object (GObject *object)
{
  GtkWidget *child;

  if (GTK_IS_WINDOW (object))
    {
      gtk_window_destroy (GTK_WINDOW (object));
      return;
    }

  /* A plain GtkWidget subclass does not drop the children it was given. */
  while (GTK_IS_WIDGET (object) &&
         (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_object_unref (object);
}

static GType
fake_template_type (const char *name,
                    GType       parent)
{
  GTypeQuery query;

  g_type_query (parent, &query);

  return g_type_register_static_simple (parent, name,
                                        query.class_size, NULL,
                                        query.instance_size, NULL, 0);
}

static gboolean
validate_template (const char  *text,
                   const char  *class_name,
                   const char  *parent_name,
                   GError     **error)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(ValidateScope) scope = NULL;
  g_autofree char *fake_name = NULL;
  g_autofree char *fake_text = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_auto(GStrv) parts = NULL;
  GType type, parent, fake;
  GObject *object;
  gboolean ok;

  builder = gtk_builder_new ();
  scope = g_object_new (VALIDATE_TYPE_SCOPE, NULL);
  gtk_builder_set_scope (builder, GTK_BUILDER_SCOPE (scope));
  type = g_type_from_name (class_name);
  /* As the builder finds types: GTK's are registered on first use. */
  parent = gtk_builder_get_type_from_name (builder, parent_name);
  if (parent == G_TYPE_INVALID)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "Unknown template parent type %s", parent_name);
      return FALSE;
    }
  if (type == G_TYPE_INVALID || g_type_parent (type) != parent)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "Template class %s is not a class of Carnet deriving from %s",
                   class_name, parent_name);
      return FALSE;
    }

  /* 1. The file as written, on a subclass of the parent without template. */
  fake_name = g_strconcat ("CarnetValidate", class_name, NULL);
  fake = g_type_from_name (fake_name);
  if (fake == G_TYPE_INVALID)
    fake = fake_template_type (fake_name, parent);
  from = g_strdup_printf ("class=\"%s\"", class_name);
  to = g_strdup_printf ("class=\"%s\"", fake_name);
  parts = g_strsplit (text, from, -1);
  fake_text = g_strjoinv (to, parts);

  object = g_object_new (fake, NULL);
  if (G_IS_INITIALLY_UNOWNED (object))
    g_object_ref_sink (object);
  ok = gtk_builder_extend_with_template (builder, object, fake, " ", 1, error) &&
       gtk_builder_add_from_string (builder, fake_text, -1, error);
  g_clear_object (&builder);
  destroy_object (object);
  if (!ok)
    return FALSE;

  /* 2. The real class: its template children and callbacks are bound;
   * a name missing on either side is a critical, fatal here. */
  object = g_object_new (type, NULL);
  if (G_IS_INITIALLY_UNOWNED (object))
    g_object_ref_sink (object);
  destroy_object (object);

  return TRUE;
}

static gboolean
validate_file (const char  *path,
               GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;

  regex = g_regex_new ("<template\\s+class=\"([^\"]+)\"\\s+parent=\"([^\"]+)\"", 0, 0, NULL);
  if (g_regex_match (regex, text, 0, &match))
    {
      g_autofree char *class_name = g_match_info_fetch (match, 1);
      g_autofree char *parent_name = g_match_info_fetch (match, 2);

      return validate_template (text, class_name, parent_name, error);
    }
  else
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      g_autoptr(GSList) objects = NULL;
      gboolean ok = gtk_builder_add_from_string (builder, text, -1, error);

      objects = gtk_builder_get_objects (builder);
      for (GSList *l = objects; l != NULL; l = l->next)
        if (GTK_IS_WINDOW (l->data))
          gtk_window_destroy (l->data);

      return ok;
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  adw_init ();

  /* Every class a .ui file may name. */
  g_type_ensure (CARNET_TYPE_WINDOW);
  g_type_ensure (CARNET_TYPE_WELCOME_PAGE);
  g_type_ensure (CARNET_TYPE_LOGIN_PAGE);
  g_type_ensure (CARNET_TYPE_ACCOUNT_PAGE);
  g_type_ensure (CARNET_TYPE_CHARTER_PAGE);
  g_type_ensure (CARNET_TYPE_MAIL_PAGE);
  g_type_ensure (CARNET_TYPE_PASSWORD_PAGE);
  g_type_ensure (CARNET_TYPE_NEW_PASSWORD_GROUP);
  g_type_ensure (CARNET_TYPE_ACTIVATION_PAGE);
  g_type_ensure (CARNET_TYPE_FORGOT_LOGIN_PAGE);
  g_type_ensure (CARNET_TYPE_FORGOT_PASSWORD_PAGE);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!validate_file (argv[i], &error))
        {
          g_printerr ("%s: %s\n", argv[i], error->message);
          return 1;
        }
      g_print ("%s: valid\n", argv[i]);
    }

  return 0;
}
