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
import subprocess
import time

from gi.repository import GLib

import pyatspi

from e2e import Failure, _safe_text, children, find, name, press_keys, role, wait_for

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
WINDOW_CONTROLS = {'Minimize', 'Maximize', 'Close', 'Restore',
                   'Minimieren', 'Maximieren', 'Schließen', 'Wiederherstellen'}


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


def tab_around(press, tracker, max_presses, step_timeout=1.5):
    """Presses Tab (real key presses, through @press) until the focus comes back to where
    the first press took it, at most @max_presses times. Returns what took
    the focus at each press, None where AT-SPI said nothing."""
    reached = []
    first = None
    for _ in range(max_presses):
        count = len(tracker.events)
        press('Tab')
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


def tab_problems(press, window, tracker, exempt=lambda node: False):
    """Tab reaches every interactive element on screen: the element itself,
    something inside it, or (rows of a list, which arrows move between)
    another row of its list.

    GTK 4.8 sends no focus event for the text inside an AdwEntryRow: Tab
    stops there in silence. So a field that no event names counts as
    reached while there are at least as many silent stops as such fields."""
    targets = [n for n in interactive_nodes(window)
               if has_state(n, pyatspi.STATE_SENSITIVE)
               and name(n) not in WINDOW_CONTROLS and not exempt(n)]
    stops = tab_around(press, tracker, 2 * len(targets) + 6)
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


def shows(node, text):
    """A label inside @node that reads @text, or has it in its words."""
    return find(node, lambda n: role(n) == 'label' and text in (_safe_text(n) or ''))


class Screens:
    """The app's windows, as AT-SPI and the X server see them.

    GTK 4.8's AT-SPI root answers ChildCount and GetChildAtIndex from its
    list of visible windows each time: a window hidden between the two
    calls leaves an index with no window, and the app crashes in
    g_variant_new. So while a window closes, nothing here asks AT-SPI for
    the app's windows: the X server says first when it is gone."""

    def __init__(self, app):
        self.app = app

    def root(self):
        # Asked afresh: a cached root can go stale on GTK 4.8's AT-SPI bridge.
        return self.app._find_on_desktop() or self.app.root

    def toplevels(self):
        return [(role(node), name(node)) for node in children(self.root())]

    def find_toplevel(self, predicate):
        for node in children(self.root()):
            if predicate(node):
                return node
        return None

    def toplevel(self, title):
        return self.find_toplevel(lambda n: name(n) == title)

    def wait_open(self, title):
        return wait_for(lambda: self.toplevel(title), f'the "{title}" window to open')

    def x_windows(self):
        """The app's windows that the X server shows."""
        out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(self.app.process.pid)],
                             capture_output=True, text=True).stdout
        return set(out.split())

    @staticmethod
    def x_shows(title):
        out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{re.escape(title)}$'],
                             capture_output=True, text=True).stdout
        return bool(out.split())

    def closes(self, action, what):
        """Runs @action, which closes a window, and waits until the X
        server no longer shows one of the windows it showed before."""
        before = self.x_windows()
        action()
        wait_for(lambda: not before <= self.x_windows(), f'{what} to close')

    def wait_closed(self, title):
        """The window whose X title is @title has closed."""
        wait_for(lambda: not self.x_shows(title), f'the "{title}" window to close')
        wait_for(lambda: self.toplevel(title) is None, f'the "{title}" window to leave AT-SPI')

    def wait_new(self, before, what):
        """A window whose name is not in @before."""
        return wait_for(lambda: self.find_toplevel(lambda n: name(n) not in before), what)

    def names(self):
        return {title for _, title in self.toplevels()}

    @staticmethod
    def keys(title, *sequence):
        """Real key presses into the X window titled @title."""
        for key in sequence:
            press_keys(title, key)

    @staticmethod
    def keys_to_focus(*sequence):
        """Keys to whichever window has the input focus: a message dialog,
        which GTK focuses when it is presented and which has no X title."""
        for key in sequence:
            subprocess.run(['xdotool', 'key', '--clearmodifiers', key], check=True,
                           stdout=subprocess.DEVNULL)

    @staticmethod
    def click_on(title, node):
        """A real click in the middle of @node, in the visible X window
        titled @title (extents are in window coordinates)."""
        ids = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}$'],
                             capture_output=True, text=True).stdout.split()
        if not ids:
            raise Failure(f'xdotool found no visible window named "{title}"')
        x, y, width, height = extents(node)
        subprocess.run(['xdotool', 'mousemove', '--window', ids[0],
                        str(x + width // 2), str(y + height // 2), 'click', '1'], check=True)
