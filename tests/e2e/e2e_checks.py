# e2e_checks.py — what a screen reader hears and where Tab goes, for the
# end-to-end tests (test-e2e-keyboard.py, test-e2e-dialogs.py)
#
# What is on screen: GTK 4.8's AT-SPI bridge gives STATE_SHOWING to windows
# only, and STATE_VISIBLE to every widget, hidden stack pages included. What
# tells a widget on screen from one that is not is its size: a widget that is
# not mapped has empty extents. So "shown" here means non-empty extents.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import time

from gi.repository import GLib

import pyatspi

from e2e import Failure, _safe_text, children, name, press_keys, role

# Roles a person acts on.
INTERACTIVE = {'push button', 'toggle button', 'check box', 'radio button', 'text',
               'entry', 'password text', 'combo box', 'spin button', 'menu button',
               'list item', 'link', 'slider', 'page tab', 'switch'}
# Focusable containers and text a person does not act on.
NOT_INTERACTIVE = {'label', 'scroll pane', 'list', 'frame', 'dialog', 'alert', 'panel',
                   'filler', 'scroll bar', 'window', 'tree table', 'table', 'page tab list'}
# A class name is what GTK says when nobody named the widget.
TYPE_NAME = re.compile(r'^(Gtk|Adw|Prov)[A-Z][A-Za-z]*$')
# The window manager's buttons: GTK keeps them out of the Tab chain.
WINDOW_CONTROLS = {'Minimize', 'Maximize', 'Close', 'Restore'}


def extents(node):
    try:
        e = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return (e.x, e.y, e.width, e.height)
    except Exception:
        return None


def is_shown(node):
    e = extents(node)
    return e is not None and e[2] > 0 and e[3] > 0


def has_state(node, state):
    try:
        return node.getState().contains(state)
    except Exception:
        return False


def is_interactive(node):
    r = role(node)
    if r in NOT_INTERACTIVE:
        return False
    return r in INTERACTIVE or has_state(node, pyatspi.STATE_FOCUSABLE)


def interactive_nodes(window):
    """Every interactive element on screen in @window, in tree order. A
    drop-down counts once: the list inside an AdwComboRow is its own."""
    result = []
    queue = [window]
    while queue:
        node = queue.pop(0)
        e = extents(node)
        if e is not None and (e[2] <= 0 or e[3] <= 0):
            continue  # not mapped, nor is anything inside it
        if node is not window and is_interactive(node):
            result.append(node)
            if role(node) == 'combo box':
                continue
        queue.extend(children(node))
    return result


def labels_within(node):
    texts = []
    queue = list(children(node))
    while queue:
        child = queue.pop(0)
        if not is_shown(child):
            continue
        if role(child) == 'label':
            text = _safe_text(child)
            if text:
                texts.append(text)
        else:
            queue[0:0] = children(child)
    return texts


def enclosing(node, wanted_role):
    try:
        parent = node.parent
        while parent is not None:
            if role(parent) == wanted_role:
                return parent
            parent = parent.parent
    except Exception:
        pass
    return None


def shown_label(node):
    """The words a person sees for @node, or None (an icon, a search entry)."""
    r = role(node)
    if r in ('push button', 'toggle button', 'check box', 'radio button', 'menu button', 'link'):
        texts = labels_within(node)
        return ' '.join(texts) if texts else None
    if r in ('text', 'password text', 'combo box', 'list item'):
        texts = labels_within(node)
        return texts[0] if texts else None
    if r == 'spin button':
        row = enclosing(node, 'list item')
        texts = labels_within(row) if row is not None else []
        return texts[0] if texts else None
    return None


def describe(node):
    e = extents(node)
    where = f' at {e[0]},{e[1]}' if e else ''
    return f'{role(node)} {name(node)!r}{where}'


def name_problems(window, exempt=lambda node: False):
    """Each interactive element on screen has a role and, as its name, the
    words it shows (a mnemonic's underscore aside)."""
    wrong = []
    for node in interactive_nodes(window):
        if exempt(node):
            continue
        label = shown_label(node)
        accessible = name(node)
        if not role(node) or role(node) == 'unknown':
            wrong.append(f'{describe(node)} has no role')
        elif not accessible.strip():
            shows = f' (it shows {label!r})' if label else ''
            wrong.append(f'a {role(node)} has no name{shows}{describe(node)[len(role(node)):]}')
        elif TYPE_NAME.match(accessible):
            wrong.append(f'{describe(node)} is named after its class'
                         + (f' (it shows {label!r})' if label else ''))
        elif label and label.replace('_', '') != accessible.replace('_', ''):
            wrong.append(f'{describe(node)} shows {label!r}')
    return wrong


class FocusTracker:
    """Where the keyboard focus is, from AT-SPI's focus events."""

    def __init__(self):
        self.events = []
        self.context = GLib.MainContext.default()
        pyatspi.Registry.registerEventListener(self._on_event, 'object:state-changed:focused')

    def close(self):
        pyatspi.Registry.deregisterEventListener(self._on_event, 'object:state-changed:focused')

    def _on_event(self, event):
        if event.detail1:
            self.events.append(event.source)

    def pump(self):
        while self.context.pending():
            self.context.iteration(False)

    def next_focus(self, count_before, timeout):
        """The element focused after the focus event number @count_before,
        or None when none came within @timeout seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump()
            if len(self.events) > count_before:
                # Focus can pass through several widgets; settle on the last.
                time.sleep(0.05)
                self.pump()
                return self.events[-1]
            time.sleep(0.02)
        return None


def tab_around(window_title, tracker, max_presses, step_timeout=1.5):
    """Presses Tab (real key presses) until the focus comes back to where
    the first press took it, at most @max_presses times. Returns what took
    the focus at each press, None where AT-SPI said nothing."""
    reached = []
    first = None
    for _ in range(max_presses):
        count = len(tracker.events)
        press_keys(window_title, 'Tab')
        node = tracker.next_focus(count, step_timeout)
        if node is not None and node == first:
            break
        if first is None:
            first = node
        reached.append(node)
    return reached


def is_within(node, ancestor):
    try:
        while node is not None:
            if node == ancestor:
                return True
            node = node.parent
    except Exception:
        pass
    return False


def tab_problems(window_title, window, tracker, exempt=lambda node: False):
    """Tab reaches every interactive element on screen: the element itself,
    something inside it, or (rows of a list, which arrows move between)
    another row of its list.

    GTK 4.8 sends no focus event for the text inside an AdwEntryRow: Tab
    stops there in silence. So a field that no event names counts as
    reached while there are at least as many silent stops as such fields."""
    targets = [n for n in interactive_nodes(window)
               if has_state(n, pyatspi.STATE_SENSITIVE)
               and name(n) not in WINDOW_CONTROLS and not exempt(n)]
    stops = tab_around(window_title, tracker, 2 * len(targets) + 6)
    focused = [n for n in stops if n is not None]
    silent = len(stops) - len(focused)
    focused_lists = {enclosing(n, 'list') for n in focused if role(n) == 'list item'}
    missed = []
    silent_fields = []
    for node in targets:
        if any(is_within(f, node) for f in focused):
            continue
        if role(node) == 'list item' and enclosing(node, 'list') in focused_lists:
            continue
        if role(node) in ('text', 'password text'):
            silent_fields.append(node)
            continue
        missed.append(f'Tab never reaches {describe(node)}')
    if len(silent_fields) > silent:
        missed.append(f'Tab stops in silence {silent} times, but these {len(silent_fields)} fields '
                      'had no focus event: ' + ', '.join(describe(n) for n in silent_fields))
    return missed


def check(problems):
    if problems:
        raise Failure('\n'.join(problems))
