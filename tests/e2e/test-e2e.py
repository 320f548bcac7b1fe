#!/usr/bin/python3
# test-e2e.py PROVISIONER — the real app, driven through AT-SPI like a person
#
# Starts the built `provisioner` binary with a scratch HOME and
# XDG_CONFIG_HOME, inside the test's D-Bus session, X server (xvfb setup)
# and unlocked gnome-keyring (tests/with-keyring.sh), and then:
#   adds an SAP Jam target by pressing "Add Target System" and typing into
#   the fields, keeps the pre-filled Token URL, presses "Save", reads the
#   toast, quits with Ctrl+Q, starts the app again, finds the target in the
#   sidebar, reads its secret back in the editor, and checks that the secret
#   is in the keyring and not in targets.json.
#
# Needs Debian's /usr/bin/python3 (python3-pyatspi, python3-gi with the
# Secret typelib from gir1.2-secret-1) and xdotool.
#
# This is a TAP producer: stdout carries only TAP. Everything else —
# progress, the app's own output, accessibility tree dumps on failure —
# goes to stderr.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version('Atspi', '2.0')
gi.require_version('Secret', '1')
from gi.repository import Secret  # noqa: E402

import pyatspi  # noqa: E402

APP_ID = 'io.github.provisioner.Provisioner'

NAME = 'Jam Production'
URL = 'https://jam4.sapjam.com'
TOKEN_URL = 'https://jam4.sapjam.com/api/v1/auth/token'
CLIENT_KEY = '3f9c0d51-client-key'
CLIENT_SECRET = 'e2e-Cl1ent-S3cret-7781'
TOAST = 'System Jam Production configuration updated'

# Generous: a sanitizer build starts slowly. Nothing here measures speed.
TIMEOUT = float(os.environ.get('PROV_E2E_TIMEOUT', '60'))

PLAN = 18


class Failure(Exception):
    pass


class Tap:
    def __init__(self, plan):
        self.plan = plan
        self.n = 0
        print(f'1..{plan}', flush=True)

    def ok(self, description):
        self.n += 1
        print(f'ok {self.n} - {description}', flush=True)

    def not_ok(self, description, reason):
        self.n += 1
        print(f'not ok {self.n} - {description}', flush=True)
        for line in str(reason).splitlines():
            print(f'# {line}', flush=True)

    def bail(self, reason):
        first_line = str(reason).splitlines()[0] if str(reason) else ''
        print(f'Bail out! {first_line}', flush=True)


def log(message):
    print(message, file=sys.stderr, flush=True)


def wait_for(predicate, what, timeout=TIMEOUT):
    """Polls @predicate until it returns something true; fails with @what."""
    end = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < end:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # the tree changes under our feet
            last_error = error
        time.sleep(0.1)
    detail = f' (last error: {last_error!r})' if last_error else ''
    raise Failure(f'timed out after {timeout:.0f} s waiting for {what}{detail}')


# Accessibility tree helpers

def children(node):
    try:
        count = node.childCount
    except Exception:
        return []
    result = []
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            child = None
        if child is not None:
            result.append(child)
    return result


def walk(node):
    stack = [node]
    while stack:
        current = stack.pop(0)
        yield current
        stack.extend(children(current))


def role(node):
    try:
        return node.getRoleName()
    except Exception:
        return ''


def name(node):
    try:
        return node.name or ''
    except Exception:
        return ''


def text_of(node):
    # GTK 4.8: getText(0, -1) answers '', so ask for characterCount.
    text = node.queryText()
    return text.getText(0, text.characterCount)


def has_editable_text(node):
    try:
        node.queryEditableText()
        return True
    except NotImplementedError:
        return False


def find_all(root, predicate):
    return [node for node in walk(root) if predicate(node)]


def find(root, predicate):
    for node in walk(root):
        if predicate(node):
            return node
    return None


def dump(node, depth=0, out=sys.stderr):
    extra = ''
    try:
        extra = f' text={text_of(node)!r}'
    except Exception:
        pass
    print(f'{"  " * depth}[{role(node)}] {name(node)!r}{extra}', file=out)
    for child in children(node):
        dump(child, depth + 1, out)


def click(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == 'click':
            action.doAction(i)
            return
    raise Failure(f'{role(node)} {name(node)!r} has no click action')


def button(root, label):
    return find(root, lambda n: role(n) == 'push button' and name(n) == label)


def visible_label(node):
    """The text a person sees on a button: its label child."""
    for child in children(node):
        if role(child) == 'label':
            return _safe_text(child)
    return None


def button_showing(root, label):
    """A button by what it shows, whatever its accessible name."""
    return find(root, lambda n: role(n) == 'push button' and
                (name(n) == label or visible_label(n) == label))


def field(root, title):
    """The editable text a person types into for the row titled @title."""
    return find(root, lambda n: role(n) == 'text' and name(n) == title and has_editable_text(n))


def is_editable(node):
    try:
        return node.getState().contains(pyatspi.STATE_EDITABLE)
    except Exception:
        return False


def type_into(root, title, value):
    """Types like a person: only once the field can be typed into."""
    node = wait_for(lambda: field(root, title), f'the field "{title}"')
    wait_for(lambda: is_editable(node), f'the field "{title}" to be editable')
    editable = node.queryEditableText()
    editable.setTextContents('')
    editable.insertText(0, value, len(value.encode('utf-8')))
    wait_for(lambda: text_of(node) == value, f'"{title}" to read {value!r}')
    return node


def label_shown(root, text):
    return find(root, lambda n: role(n) == 'label' and (name(n) == text or _safe_text(n) == text))


def _safe_text(node):
    try:
        return text_of(node)
    except Exception:
        return None


# The app

class App:
    def __init__(self, binary, home, stderr_path, args=()):
        self.binary = binary
        self.args = list(args)
        self.home = home
        self.stderr_path = stderr_path
        self.process = None
        self.root = None

    def start(self):
        env = dict(os.environ)
        env['HOME'] = self.home
        env['XDG_CONFIG_HOME'] = os.path.join(self.home, '.config')
        env['XDG_DATA_HOME'] = os.path.join(self.home, '.local', 'share')
        env['XDG_CACHE_HOME'] = os.path.join(self.home, '.cache')
        # Settings last across the two runs, in the scratch HOME.
        env['GSETTINGS_BACKEND'] = 'keyfile'
        env.pop('NO_AT_BRIDGE', None)
        env.pop('GTK_A11Y', None)
        stderr = open(self.stderr_path, 'ab')
        # The app's stdout must not reach ours: ours is TAP.
        self.process = subprocess.Popen([self.binary, *self.args], env=env,
                                        stdin=subprocess.DEVNULL,
                                        stdout=stderr, stderr=stderr)
        stderr.close()
        self.root = wait_for(self._find_on_desktop, 'the app on the accessibility bus')
        return self.root

    def _find_on_desktop(self):
        if self.process.poll() is not None:
            raise Failure(f'the app exited early with status {self.process.returncode}')
        desktop = pyatspi.Registry.getDesktop(0)
        for app in children(desktop):
            try:
                if app.get_process_id() == self.process.pid:
                    return app if app.childCount > 0 else None
            except Exception:
                continue
        return None

    def window(self):
        return wait_for(lambda: find(self.root, lambda n: role(n) == 'frame' and name(n) == 'Provisioner'),
                        'the "Provisioner" window')

    def wait_exit(self, timeout=TIMEOUT):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure(f'the app did not exit within {timeout:.0f} s')

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def press_keys(window_title, keys):
    """Sends real key events (XTEST) to the app's window. Without a window
    manager, give the window the input focus first."""
    ids = subprocess.run(['xdotool', 'search', '--name', f'^{window_title}$'],
                         capture_output=True, text=True).stdout.split()
    if not ids:
        raise Failure(f'xdotool found no window named "{window_title}"')
    for window_id in ids:
        subprocess.run(['xdotool', 'windowfocus', '--sync', window_id],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['xdotool', 'key', '--clearmodifiers', keys], check=True,
                   stdout=subprocess.DEVNULL)


def keyring_secret(uuid, field_key):
    schema = Secret.Schema.new(APP_ID + '.Secret', Secret.SchemaFlags.NONE, {
        'target-uuid': Secret.SchemaAttributeType.STRING,
        'field': Secret.SchemaAttributeType.STRING,
        'generation': Secret.SchemaAttributeType.INTEGER,
    })
    # One item per target: its secret fields as a JSON object.
    item = Secret.password_lookup_sync(schema, {
        'target-uuid': uuid,
        'generation': '2',
    }, None)
    return json.loads(item).get(field_key) if item is not None else None


def scratch_home(prefix, **env):
    """A new HOME for the app, and its XDG folders, set in os.environ for
    everything started from here on, with @env on top. Returns the folder
    and the path the app's output goes to."""
    home = tempfile.mkdtemp(prefix=prefix)
    os.environ.update({
        'HOME': home,
        'XDG_CONFIG_HOME': os.path.join(home, '.config'),
        'XDG_STATE_HOME': os.path.join(home, '.local', 'state'),
        'no_proxy': '*',
        **env,
    })
    return home, os.path.join(home, 'app-stderr.log')


def problems_in(stderr_path):
    """GLib criticals and warnings the app printed: each one is a bug."""
    with open(stderr_path, 'rb') as f:
        lines = f.read().decode('utf-8', 'replace').splitlines()
    return [line for line in lines
            if '-CRITICAL **' in line or '-WARNING **' in line
            or 'ERROR: AddressSanitizer' in line or 'ERROR: LeakSanitizer' in line
            or 'runtime error:' in line]


class Steps:
    """The TAP test points of one run of the app, in order, and the loop
    that runs them and tears the app down. Used by every end-to-end test:

        steps = Steps(PLAN)

        @steps('the app starts')
        def _():
            ...

        return steps.run(app, home, stderr_path)
    """

    def __init__(self, plan):
        self.plan = plan
        self.steps = []

    def __call__(self, description, fatal=True):
        """Registers a test point. A fatal one stops the run when it fails
        (what follows depends on it); a check that is not fatal does not."""
        def register(function):
            self.steps.append((description, function, fatal))
            return function
        return register

    def run(self, app, home, stderr_path):
        """Runs every step, then kills @app, logs its output and removes
        @home. Returns the exit status."""
        assert len(self.steps) == self.plan, f'PLAN is {self.plan} but there are {len(self.steps)} steps'
        tap = Tap(self.plan)
        status = 0
        try:
            for description, function, fatal in self.steps:
                try:
                    function()
                except Exception as error:
                    tap.not_ok(description, error)
                    log(f'FAILED: {description}: {error}')
                    status = 1
                    if not fatal:
                        continue
                    if app.root is not None and app.process is not None and app.process.poll() is None:
                        log('Accessibility tree of the app at the failure:')
                        try:
                            dump(app.root)
                        except Exception as dump_error:
                            log(f'(could not dump the tree: {dump_error!r})')
                    tap.bail(f'{description}: {error}')
                    break
                tap.ok(description)
        finally:
            app.kill()
            try:
                with open(stderr_path, 'rb') as f:
                    output = f.read().decode('utf-8', 'replace')
                if output.strip():
                    log('--- the app\'s output ---')
                    log(output)
            except OSError:
                pass
            shutil.rmtree(home, ignore_errors=True)
        return status


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner', file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])

    home = tempfile.mkdtemp(prefix='provisioner-e2e-')
    stderr_path = os.path.join(home, 'app-stderr.log')
    targets_json = os.path.join(home, '.config', APP_ID, 'targets.json')
    app = App(binary, home, stderr_path)
    uuid = None
    step = Steps(PLAN)

    def save_changes_dialog():
        return find(app.root, lambda n: role(n) in ('dialog', 'alert') and name(n) == 'Save Changes?')

    # First run: add a target, save it, quit.

    @step('the app starts and shows its window with an empty list')
    def _():
        app.start()
        window = app.window()
        wait_for(lambda: label_shown(window, 'No Target Systems'), 'the empty state "No Target Systems"')

    @step('"Add Target System" opens an empty editor')
    def _():
        window = app.window()
        add = wait_for(lambda: button(window, 'Add Target System'), 'the "Add Target System" button')
        click(add)
        wait_for(lambda: field(window, 'Display Name'), 'the "Display Name" field')
        wait_for(lambda: button(window, 'Save'), 'the "Save" button')

    @step('typing the Display Name, URL, Client Key and Client Secret')
    def _():
        window = app.window()
        type_into(window, 'Display Name', NAME)
        type_into(window, 'URL', URL)
        type_into(window, 'Client Key', CLIENT_KEY)
        type_into(window, 'Client Secret', CLIENT_SECRET)

    @step('the Token URL is pre-filled from the URL')
    def _():
        window = app.window()
        token = wait_for(lambda: field(window, 'Token URL'), 'the "Token URL" field')
        wait_for(lambda: text_of(token) == TOKEN_URL, f'"Token URL" to read {TOKEN_URL!r}')

    @step(f'"Save" asks about real-time provisioning; saved with it off, it shows the toast "{TOAST}"')
    def _():
        window = app.window()
        click(wait_for(lambda: button(window, 'Save'), 'the "Save" button'))
        dialog = wait_for(lambda: find(app.root, lambda n: role(n) in ('dialog', 'alert') and
                                       name(n) == 'Turn On Real-Time Provisioning?'),
                          'the real-time provisioning question')
        click(wait_for(lambda: button(dialog, 'Save With Real-Time Off'), 'its "Save With Real-Time Off" button'))
        wait_for(lambda: label_shown(window, TOAST), f'the toast "{TOAST}"')

    @step('the sidebar lists the new target')
    def _():
        window = app.window()
        target_list = wait_for(lambda: find(window, lambda n: role(n) == 'list' and name(n) == 'Target Systems'),
                               'the "Target Systems" list')
        wait_for(lambda: label_shown(target_list, NAME), f'"{NAME}" in the sidebar')

    @step('targets.json has the target and not its secret')
    def _():
        nonlocal uuid
        wait_for(lambda: os.path.exists(targets_json), f'{targets_json} to exist')
        with open(targets_json, encoding='utf-8') as f:
            contents = f.read()
        if CLIENT_SECRET in contents:
            raise Failure('targets.json contains the Client Secret in plain text')
        data = json.loads(contents)
        targets = [t for t in data.get('targets', []) if t.get('display-name') == NAME]
        if len(targets) != 1:
            raise Failure(f'targets.json does not list "{NAME}" once: {contents}')
        if targets[0].get('token-url') != TOKEN_URL or targets[0].get('client-id') != CLIENT_KEY:
            raise Failure(f'targets.json has other values than typed: {targets[0]}')
        uuid = targets[0]['uuid']
        mode = os.stat(targets_json).st_mode & 0o777
        if mode != 0o600:
            raise Failure(f'targets.json has mode {mode:o}, not 600')

    @step('Ctrl+Q quits the app')
    def _():
        # The toast must not hold anything back: quit as soon as it shows.
        press_keys('Provisioner', 'ctrl+q')
        status = app.wait_exit()
        if status != 0:
            raise Failure(f'the app exited with status {status}')

    # Second run: everything is still there.

    @step('the app starts again and lists the saved target')
    def _():
        app.start()
        window = app.window()
        target_list = wait_for(lambda: find(window, lambda n: role(n) == 'list' and name(n) == 'Target Systems'),
                               'the "Target Systems" list')
        wait_for(lambda: label_shown(target_list, NAME), f'"{NAME}" in the sidebar')

    @step('the last selected target is shown again, read-only, with Edit')
    def _():
        window = app.window()
        name_field = wait_for(lambda: field(window, 'Display Name'), 'the "Display Name" field')
        wait_for(lambda: text_of(name_field) == NAME, f'"Display Name" to read {NAME!r}')
        wait_for(lambda: button(window, 'Edit'), 'the "Edit" button')
        token = field(window, 'Token URL')
        if text_of(token) != TOKEN_URL:
            raise Failure(f'"Token URL" reads {text_of(token)!r}')
        key = field(window, 'Client Key')
        if text_of(key) != CLIENT_KEY:
            raise Failure(f'"Client Key" reads {text_of(key)!r}')

    @step('the Client Secret comes back from the keyring into the editor')
    def _():
        window = app.window()
        click(wait_for(lambda: button(window, 'Edit'), 'the "Edit" button'))
        wait_for(lambda: button(window, 'Cancel'), 'the "Cancel" button after Edit')
        secret_field = wait_for(lambda: field(window, 'Client Secret'), 'the "Client Secret" field')
        # A password row shows dots; its length is all that may be read.
        wait_for(lambda: text_of(secret_field) != '',
                 'the "Client Secret" field to be filled from the keyring')
        shown = text_of(secret_field)
        if shown != CLIENT_SECRET and len(shown) != len(CLIENT_SECRET):
            raise Failure(f'"Client Secret" shows {len(shown)} characters, not {len(CLIENT_SECRET)}')
        click(wait_for(lambda: button(window, 'Cancel'), 'the "Cancel" button'))
        wait_for(lambda: button(window, 'Edit'), 'the "Edit" button after Cancel')

    @step('the keyring holds the Client Secret under the target uuid')
    def _():
        if uuid is None:
            raise Failure('no uuid was read from targets.json')
        secret = keyring_secret(uuid, 'client-secret')
        if secret != CLIENT_SECRET:
            raise Failure(f'the keyring holds {secret!r} for {uuid}/client-secret')

    @step('targets.json still does not contain the secret')
    def _():
        with open(targets_json, encoding='utf-8') as f:
            if CLIENT_SECRET in f.read():
                raise Failure('targets.json contains the Client Secret in plain text')
        for entry in os.listdir(os.path.dirname(targets_json)):
            with open(os.path.join(os.path.dirname(targets_json), entry), 'rb') as f:
                if CLIENT_SECRET.encode() in f.read():
                    raise Failure(f'{entry} contains the Client Secret in plain text')

    @step('quitting with unsaved edits asks to Save, Discard or Cancel')
    def _():
        window = app.window()
        click(wait_for(lambda: button(window, 'Edit'), 'the "Edit" button'))
        wait_for(lambda: button(window, 'Save'), 'the "Save" button after Edit')
        type_into(window, 'Display Name', NAME + ' (unsaved)')
        press_keys('Provisioner', 'ctrl+q')
        dialog = wait_for(save_changes_dialog, 'the "Save Changes?" dialog')
        for label in ('Cancel', 'Discard', 'Save'):
            wait_for(lambda: button_showing(dialog, label), f'the "{label}" button in the dialog')

    @step('the dialog\'s buttons are named for screen readers as they read', fatal=False)
    def _():
        dialog = save_changes_dialog()
        wrong = []
        for label in ('Cancel', 'Discard', 'Save'):
            node = button_showing(dialog, label)
            if name(node) != label:
                wrong.append(f'the button showing "{label}" is named {name(node)!r}')
        if wrong:
            raise Failure('\n'.join(wrong))

    @step('Discard quits without saving the edits')
    def _():
        click(button_showing(save_changes_dialog(), 'Discard'))
        status = app.wait_exit()
        if status != 0:
            raise Failure(f'the app exited with status {status}')
        with open(targets_json, encoding='utf-8') as f:
            data = json.load(f)
        names = [t.get('display-name') for t in data.get('targets', [])]
        if names != [NAME]:
            raise Failure(f'targets.json lists {names}, not [{NAME!r}]')

    @step('the app printed no criticals, warnings or sanitizer reports')
    def _():
        problems = problems_in(stderr_path)
        if problems:
            raise Failure('\n'.join(problems[:20]))

    @step('the secret is still in the keyring after both runs')
    def _():
        secret = keyring_secret(uuid, 'client-secret')
        if secret != CLIENT_SECRET:
            raise Failure(f'the keyring holds {secret!r} for {uuid}/client-secret')

    return step.run(app, home, stderr_path)


if __name__ == '__main__':
    sys.exit(main())
