/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-new-password-group.h"

#include <glib/gi18n.h>

#include "carnet-ui-private.h"

struct _CarnetNewPasswordGroup
{
  AdwPreferencesGroup   parent_instance;

  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *confirm_row;
  GtkLabel             *rule_label;
  GtkImage             *rule_icon;
  GtkLabel             *rule_check_label;
  GtkImage             *strength_icon;
  GtkLabel             *strength_label;
  GtkImage             *match_icon;
  GtkLabel             *match_label;

  CarnetEntContext     *context;
  gboolean              activation;
  gboolean              valid;
};

G_DEFINE_FINAL_TYPE (CarnetNewPasswordGroup, carnet_new_password_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

enum {
  ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void
set_check (GtkImage   *icon,
           GtkLabel   *label,
           gboolean    ok,
           gboolean    empty,
           const char *text)
{
  GtkWidget *widget = GTK_WIDGET (icon);

  gtk_label_set_text (label, text);
  gtk_image_set_from_icon_name (icon, empty ? "radio-symbolic"
                                            : ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "dim-label");
  gtk_widget_add_css_class (widget, empty ? "dim-label" : ok ? "success" : "warning");
}

/* Length and kinds of characters only: a hint, not the ENT's rule. */
static int
strength (const char *password)
{
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;
  glong length = g_utf8_strlen (password, -1);
  int classes;

  for (const char *p = password; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_islower (c))
        lower = TRUE;
      else if (g_unichar_isupper (c))
        upper = TRUE;
      else if (g_unichar_isdigit (c))
        digit = TRUE;
      else
        other = TRUE;
    }

  classes = lower + upper + digit + other;
  if (length < 8 || classes < 2)
    return 0;
  if (length >= 12 && classes >= 3)
    return 2;
  if (length >= 10 && classes == 4)
    return 2;

  return 1;
}

static void
update (CarnetNewPasswordGroup *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));
  gboolean empty = *password == '\0';
  gboolean follows_rule;
  gboolean identical;
  gboolean valid;

  if (self->context != NULL)
    follows_rule = !empty && carnet_ent_context_check_password (self->context, password);
  else
    follows_rule = !empty;

  set_check (self->rule_icon, self->rule_check_label, follows_rule, empty,
             follows_rule ? _("The password follows the ENT’s rule")
                          : _("The password does not follow the ENT’s rule yet"));

  if (empty)
    set_check (self->strength_icon, self->strength_label, FALSE, TRUE, _("Strength: —"));
  else
    switch (strength (password))
      {
      case 0:
        set_check (self->strength_icon, self->strength_label, FALSE, FALSE, _("Strength: weak"));
        break;
      case 1:
        set_check (self->strength_icon, self->strength_label, TRUE, FALSE, _("Strength: medium"));
        break;
      default:
        set_check (self->strength_icon, self->strength_label, TRUE, FALSE, _("Strength: strong"));
        break;
      }

  identical = !empty && g_str_equal (password, confirm);
  set_check (self->match_icon, self->match_label, identical, *confirm == '\0',
             identical || *confirm == '\0' ? _("The two passwords are identical")
                                           : _("The two passwords are different"));

  valid = follows_rule && identical;
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VALID]);
    }
}

static void
update_rule (CarnetNewPasswordGroup *self)
{
  const char *rule = NULL;

  if (self->context != NULL)
    rule = carnet_ent_context_get_password_rule (self->context, self->activation);
  if (rule == NULL && self->context != NULL && self->activation)
    rule = carnet_ent_context_get_password_rule (self->context, FALSE);

  gtk_label_set_text (self->rule_label, rule != NULL ? rule : "");
  gtk_widget_set_visible (GTK_WIDGET (self->rule_label), rule != NULL && *rule != '\0');
  update (self);
}

static void
changed_cb (CarnetNewPasswordGroup *self,
            GtkEditable            *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (editable), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  update (self);
}

static void
password_activated_cb (CarnetNewPasswordGroup *self)
{
  if (self->valid)
    g_signal_emit (self, signals [ACTIVATE], 0);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
}

static void
confirm_activated_cb (CarnetNewPasswordGroup *self)
{
  g_signal_emit (self, signals [ACTIVATE], 0);
}

GtkWidget *
carnet_new_password_group_new (void)
{
  return g_object_new (CARNET_TYPE_NEW_PASSWORD_GROUP, NULL);
}

void
carnet_new_password_group_set_context (CarnetNewPasswordGroup *self,
                                       CarnetEntContext       *context,
                                       gboolean                activation)
{
  g_return_if_fail (CARNET_IS_NEW_PASSWORD_GROUP (self));
  g_return_if_fail (!context || CARNET_IS_ENT_CONTEXT (context));

  g_set_object (&self->context, context);
  self->activation = !!activation;
  update_rule (self);
}

gboolean
carnet_new_password_group_get_valid (CarnetNewPasswordGroup *self)
{
  g_return_val_if_fail (CARNET_IS_NEW_PASSWORD_GROUP (self), FALSE);

  return self->valid;
}

const char *
carnet_new_password_group_get_password (CarnetNewPasswordGroup *self)
{
  g_return_val_if_fail (CARNET_IS_NEW_PASSWORD_GROUP (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

void
carnet_new_password_group_set_error (CarnetNewPasswordGroup *self,
                                     gboolean                confirm,
                                     const char             *message)
{
  GtkWidget *row;

  g_return_if_fail (CARNET_IS_NEW_PASSWORD_GROUP (self));

  row = confirm ? GTK_WIDGET (self->confirm_row) : GTK_WIDGET (self->password_row);

  if (message == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_row), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->password_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->confirm_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
  gtk_widget_grab_focus (row);
  gtk_editable_select_region (GTK_EDITABLE (row), 0, -1);
}

void
carnet_new_password_group_clear (CarnetNewPasswordGroup *self)
{
  g_return_if_fail (CARNET_IS_NEW_PASSWORD_GROUP (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  carnet_new_password_group_set_error (self, FALSE, NULL);
  update (self);
}

void
carnet_new_password_group_set_editable (CarnetNewPasswordGroup *self,
                                        gboolean                editable)
{
  g_return_if_fail (CARNET_IS_NEW_PASSWORD_GROUP (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_row), editable);
}

static gboolean
carnet_new_password_group_grab_focus (GtkWidget *widget)
{
  CarnetNewPasswordGroup *self = CARNET_NEW_PASSWORD_GROUP (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
carnet_new_password_group_dispose (GObject *object)
{
  CarnetNewPasswordGroup *self = CARNET_NEW_PASSWORD_GROUP (object);

  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), CARNET_TYPE_NEW_PASSWORD_GROUP);

  G_OBJECT_CLASS (carnet_new_password_group_parent_class)->dispose (object);
}

static void
carnet_new_password_group_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  CarnetNewPasswordGroup *self = CARNET_NEW_PASSWORD_GROUP (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_new_password_group_class_init (CarnetNewPasswordGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_new_password_group_dispose;
  object_class->get_property = carnet_new_password_group_get_property;

  widget_class->grab_focus = carnet_new_password_group_grab_focus;

  properties [PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-new-password-group.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, password_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, rule_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, rule_icon);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, rule_check_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, strength_icon);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, strength_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, match_icon);
  gtk_widget_class_bind_template_child (widget_class, CarnetNewPasswordGroup, match_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);
}

static void
carnet_new_password_group_init (CarnetNewPasswordGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->password_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->confirm_row), NULL);
  update_rule (self);
}
