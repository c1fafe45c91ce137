/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-busy-actions.h"

#include <glib/gi18n.h>

#include "carnet-ui-private.h"

struct _CarnetBusyActions
{
  GtkWidget   parent_instance;

  GtkStack   *stack;
  GtkSpinner *spinner;
  GtkLabel   *label;
  GtkButton  *cancel_button;

  GtkWidget  *child;
};

G_DEFINE_FINAL_TYPE (CarnetBusyActions, carnet_busy_actions, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_BUSY,
  PROP_TEXT,
  PROP_SPINNER_LABEL,
  PROP_CANCEL_LABEL,
  PROP_VHOMOGENEOUS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  CANCEL,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
cancel_clicked_cb (CarnetBusyActions *self)
{
  g_signal_emit (self, signals [CANCEL], 0);
}

CarnetBusyActions *
carnet_busy_actions_new (void)
{
  return g_object_new (CARNET_TYPE_BUSY_ACTIONS, NULL);
}

GtkWidget *
carnet_busy_actions_get_child (CarnetBusyActions *self)
{
  g_return_val_if_fail (CARNET_IS_BUSY_ACTIONS (self), NULL);

  return self->child;
}

void
carnet_busy_actions_set_child (CarnetBusyActions *self,
                               GtkWidget         *child)
{
  gboolean busy;

  g_return_if_fail (CARNET_IS_BUSY_ACTIONS (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;

  busy = carnet_busy_actions_get_busy (self);
  if (self->child != NULL)
    gtk_stack_remove (self->stack, self->child);
  self->child = child;
  if (child != NULL)
    {
      gtk_stack_add_named (self->stack, child, "idle");
      gtk_stack_set_visible_child_name (self->stack, busy ? "busy" : "idle");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHILD]);
}

gboolean
carnet_busy_actions_get_busy (CarnetBusyActions *self)
{
  g_return_val_if_fail (CARNET_IS_BUSY_ACTIONS (self), FALSE);

  return gtk_spinner_get_spinning (self->spinner);
}

void
carnet_busy_actions_set_busy (CarnetBusyActions *self,
                              gboolean           busy)
{
  g_return_if_fail (CARNET_IS_BUSY_ACTIONS (self));

  busy = !!busy;
  gtk_stack_set_visible_child_name (self->stack, busy || self->child == NULL ? "busy" : "idle");
  if (busy == carnet_busy_actions_get_busy (self))
    return;

  gtk_spinner_set_spinning (self->spinner, busy);
  /* What the keyboard can do now: stop it. */
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

void
carnet_busy_actions_set_text (CarnetBusyActions *self,
                              const char        *text)
{
  g_return_if_fail (CARNET_IS_BUSY_ACTIONS (self));

  if (g_strcmp0 (text, gtk_label_get_text (self->label)) == 0 &&
      gtk_widget_get_visible (GTK_WIDGET (self->label)) == (text != NULL))
    return;

  gtk_label_set_text (self->label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->label), text != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
carnet_busy_actions_set_spinner_label (CarnetBusyActions *self,
                                       const char        *label)
{
  g_return_if_fail (CARNET_IS_BUSY_ACTIONS (self));

  set_accessible_label (GTK_WIDGET (self->spinner), label);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPINNER_LABEL]);
}

void
carnet_busy_actions_set_cancel_label (CarnetBusyActions *self,
                                      const char        *label)
{
  g_return_if_fail (CARNET_IS_BUSY_ACTIONS (self));

  set_accessible_label (GTK_WIDGET (self->cancel_button), label);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CANCEL_LABEL]);
}

GtkWidget *
carnet_busy_actions_get_cancel_button (CarnetBusyActions *self)
{
  g_return_val_if_fail (CARNET_IS_BUSY_ACTIONS (self), NULL);

  return GTK_WIDGET (self->cancel_button);
}

static void
carnet_busy_actions_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CarnetBusyActions *self = CARNET_BUSY_ACTIONS (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, carnet_busy_actions_get_busy (self));
      break;

    case PROP_TEXT:
      g_value_set_string (value, gtk_widget_get_visible (GTK_WIDGET (self->label))
                                 ? gtk_label_get_text (self->label) : NULL);
      break;

    case PROP_VHOMOGENEOUS:
      g_value_set_boolean (value, gtk_stack_get_vhomogeneous (self->stack));
      break;

    case PROP_SPINNER_LABEL:
    case PROP_CANCEL_LABEL:
      /* Write-only: the accessible name is the accessible's. */
      g_value_set_string (value, NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_busy_actions_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CarnetBusyActions *self = CARNET_BUSY_ACTIONS (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      carnet_busy_actions_set_child (self, g_value_get_object (value));
      break;

    case PROP_BUSY:
      carnet_busy_actions_set_busy (self, g_value_get_boolean (value));
      break;

    case PROP_TEXT:
      carnet_busy_actions_set_text (self, g_value_get_string (value));
      break;

    case PROP_SPINNER_LABEL:
      carnet_busy_actions_set_spinner_label (self, g_value_get_string (value));
      break;

    case PROP_CANCEL_LABEL:
      carnet_busy_actions_set_cancel_label (self, g_value_get_string (value));
      break;

    case PROP_VHOMOGENEOUS:
      gtk_stack_set_vhomogeneous (self->stack, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_busy_actions_dispose (GObject *object)
{
  CarnetBusyActions *self = CARNET_BUSY_ACTIONS (object);

  self->child = NULL;
  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_BUSY_ACTIONS);

  G_OBJECT_CLASS (carnet_busy_actions_parent_class)->dispose (object);
}

static void
carnet_busy_actions_class_init (CarnetBusyActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = carnet_busy_actions_get_property;
  object_class->set_property = carnet_busy_actions_set_property;
  object_class->dispose = carnet_busy_actions_dispose;

  properties [PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL,
                         GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SPINNER_LABEL] =
    g_param_spec_string ("spinner-label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_CANCEL_LABEL] =
    g_param_spec_string ("cancel-label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_VHOMOGENEOUS] =
    g_param_spec_boolean ("vhomogeneous", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [CANCEL] =
    g_signal_new ("cancel",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-busy-actions.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetBusyActions, stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetBusyActions, spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetBusyActions, label);
  gtk_widget_class_bind_template_child (widget_class, CarnetBusyActions, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
carnet_busy_actions_init (CarnetBusyActions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
