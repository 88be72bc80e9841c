/* Test-only declarations the translations fixture's server side needs (tests/data/ok/translations.defs). */
#ifndef MIGC_TEST_FIXTURE_SUPPORT_H
#define MIGC_TEST_FIXTURE_SUPPORT_H

#include <mach/min.h>

typedef struct widget *widget_t;
extern widget_t widget_from_port(mach_port_t port);
extern mach_port_t widget_to_port(widget_t widget);
extern void widget_release(widget_t widget);

#endif
