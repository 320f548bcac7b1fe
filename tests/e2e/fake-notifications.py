#!/usr/bin/python3
# fake-notifications.py — a tiny org.freedesktop.Notifications server on the
# session bus, for the end-to-end tests
#
# Prints one JSON line per call it receives ({"call": "Notify", "id": N,
# "summary": …, "body": …, "actions": […]} or {"call": "CloseNotification",
# "id": N}), after "ready" once it owns the name. Reading "invoke ID ACTION"
# on stdin, it emits ActionInvoked(ID, ACTION), as a notification server
# does when the person clicks the notification ("default") or a button.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys

from gi.repository import Gio, GLib

XML = '''
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
</node>
'''
PATH = '/org/freedesktop/Notifications'
IFACE = 'org.freedesktop.Notifications'

state = {'next': 1, 'conn': None}


def emit(line):
    print(json.dumps(line), flush=True)


def on_call(conn, sender, path, iface, method, params, invocation):
    if method == 'Notify':
        app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
        nid = replaces or state['next']
        state['next'] = max(state['next'], nid + 1)
        emit({'call': 'Notify', 'id': nid, 'app': app, 'summary': summary, 'body': body,
              'actions': actions})
        invocation.return_value(GLib.Variant('(u)', (nid,)))
    elif method == 'CloseNotification':
        nid = params.unpack()[0]
        emit({'call': 'CloseNotification', 'id': nid})
        invocation.return_value(None)
        conn.emit_signal(None, PATH, IFACE, 'NotificationClosed', GLib.Variant('(uu)', (nid, 3)))
    elif method == 'GetCapabilities':
        invocation.return_value(GLib.Variant('(as)', (['actions', 'body'],)))
    else:
        invocation.return_value(GLib.Variant('(ssss)', ('fake', 'provisioner-tests', '1', '1.2')))


def on_bus(conn, name):
    state['conn'] = conn
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    conn.register_object(PATH, info, on_call, None, None)


def on_name(conn, name):
    print('ready', flush=True)


def on_stdin(channel, condition):
    line = sys.stdin.readline()
    if not line:
        loop.quit()
        return False
    words = line.split()
    if len(words) == 3 and words[0] == 'invoke':
        state['conn'].emit_signal(None, PATH, IFACE, 'ActionInvoked',
                                  GLib.Variant('(us)', (int(words[1]), words[2])))
        state['conn'].flush_sync(None)
    return True


loop = GLib.MainLoop()
Gio.bus_own_name(Gio.BusType.SESSION, IFACE, Gio.BusNameOwnerFlags.NONE, on_bus, on_name,
                 lambda conn, name: loop.quit())
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                  GLib.IOCondition.IN | GLib.IOCondition.HUP, on_stdin)
loop.run()
