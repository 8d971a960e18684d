"""Run many `manage.py` commands in a checkout, each as its own process, paying for Django's
start once: `python manage_py_commands.py COMMANDS.json RESULTS.json`, from the checkout.

Django is set up here, as `manage.py` sets it up, and each command then runs `manage.py` itself
in a process forked from this one, with its own arguments, environment, standard input and
session (no terminal to ask on), as if typed. Starting Django costs most of a short command's
time; the command's own code, its module included, still runs only in its own process.

COMMANDS.json holds a list of {"argv": [...], "env": {...}, "stdin": "..."}; RESULTS.json gets
a list of {"returncode": n, "output": "..."} in the same order.
"""

import json
import os
import runpy
import signal
import sys
import tempfile
import traceback

MANAGE_PY = "manage.py"
COMMAND_SECONDS = 180


def run(command):
    """Fork, run `manage.py` with the command's arguments in the child, and wait for it."""
    with tempfile.TemporaryFile("w+") as stdin, tempfile.TemporaryFile("w+") as output:
        stdin.write(command.get("stdin", ""))
        stdin.seek(0)
        sys.stdout.flush()
        sys.stderr.flush()
        child = os.fork()
        if child == 0:
            os._exit(_run_in_child(command, stdin.fileno(), output.fileno()))
        _, status = os.waitpid(child, 0)
        output.seek(0)
        return {"returncode": os.waitstatus_to_exitcode(status), "output": output.read()}


def _run_in_child(command, stdin, output):
    os.setsid()
    signal.alarm(COMMAND_SECONDS)  # A command that hangs is ended, and reported as failed.
    os.dup2(stdin, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 (the process's own descriptors)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    os.environ.update(command.get("env", {}))
    sys.argv = [MANAGE_PY, *command["argv"]]
    try:
        runpy.run_path(MANAGE_PY, run_name="__main__")
        code = 0
    except SystemExit as stopped:
        code = _exit_code(stopped.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _exit_code(code):
    """As Python's own exit treats `sys.exit(code)`: no code is success, a number is itself,
    and anything else is printed and means failure."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main(commands_file, results_file):
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    with open(commands_file) as commands:
        results = [run(command) for command in json.load(commands)]
    with open(results_file, "w") as written:
        json.dump(results, written)


if __name__ == "__main__":
    main(*sys.argv[1:])
