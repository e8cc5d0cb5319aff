# Grizz sandbox kernel: the guest side of KernelProtocol, the same for every backend.
#
# Started by KernelProtocol.BOOTSTRAP (python3 -u -I -c BOOTSTRAP), which reads the first line of
# stdin, {"kernel": "<this file>"}, and execs it. The engine sends nothing more until this program
# answers {"type": "ready"}, so the bootstrap's buffered read holds no later request.
#
# Then one JSON object per line each way. Requests: exec, put, list (see KernelProtocol). Answers:
# "stream" frames while a cell runs, then one "result" frame per request. The user's code runs in
# this process, so it could reach the protocol fd if it tried: the engine trusts no frame (sizes
# capped, ids checked), this program only keeps honest output (print, subprocesses) off the stream.
import ast
import base64
import codecs
import json
import linecache
import os
import resource
import select
import signal
import stat
import sys
import threading
import time
import traceback

DATA = "/mnt/data"
MAX_WALK = 10000  # entries looked at per snapshot of /mnt/data


class CellTimeout(BaseException):
    """Raised in the cell at its deadline; a BaseException so `except Exception` lets it pass."""


# ---- the protocol stream, moved away from fds 0, 1 and 2 -----------------------------------------

_in_fd = os.dup(0)
_out_fd = os.dup(1)
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
os.close(_null)
_out_lock = threading.Lock()
_kernel_pid = os.getpid()


def _forked_child():
    # a process the code forks runs on in this program: it must never speak the protocol
    for fd in (_in_fd, _out_fd):
        try:
            os.close(fd)
        except OSError:
            pass


os.register_at_fork(after_in_child=_forked_child)


def send(frame):
    text = json.dumps(frame, ensure_ascii=False, separators=(",", ":")) + "\n"
    data = text.encode("utf-8", "replace")  # lone surrogates (odd file names, odd text) become ?
    with _out_lock:
        view = memoryview(data)
        while view:
            view = view[os.write(_out_fd, view):]


class Requests:
    def __init__(self, fd):
        self.fd, self.rest = fd, b""

    def next(self):
        chunks, chunk = [], self.rest
        while b"\n" not in chunk:
            chunks.append(chunk)
            # wake each second: a signal that reached another thread (SIGXCPU while code left
            # running spins) has its handler run only when this thread runs Python again
            while not select.select([self.fd], [], [], 1.0)[0]:
                pass
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
        head, self.rest = chunk.split(b"\n", 1)
        chunks.append(head)
        return json.loads(b"".join(chunks))


# ---- fds 1 and 2: pipes forwarded as stream frames ------------------------------------------------

class Output(threading.Thread):
    """Reads the cell's stdout and stderr pipes and sends what comes as stream frames."""

    def __init__(self):
        super().__init__(name="grizz-output", daemon=True)
        self.pipes = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            r, w = os.pipe()
            os.dup2(w, fd)
            os.close(w)
            self.pipes[r] = name
        self.cond = threading.Condition()
        self.call_id, self.cap, self.sent, self.truncated = None, 0, 0, False
        self.marks = {}  # name -> marker bytes awaited
        self.pending = {r: b"" for r in self.pipes}
        self.decoders = {n: codecs.getincrementaldecoder("utf-8")("replace") for n in self.pipes.values()}

    def begin(self, call_id, cap):
        with self.cond:
            self.call_id, self.cap, self.sent, self.truncated = call_id, cap, 0, False

    def sync(self, n):
        """Waits until everything written to fds 1 and 2 before now has been forwarded."""
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        with self.cond:
            self.marks = {name: ("\0grizz-sync-%d\0" % n).encode() for name in self.pipes.values()}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            try:
                os.write(fd, self.marks[name])
            except OSError:  # the code closed or moved its fd: nothing more to wait for
                with self.cond:
                    self.marks.pop(name, None)
        with self.cond:
            self.cond.wait_for(lambda: not self.marks, timeout=5)
            self.call_id = None
            return self.truncated

    def forward(self, name, data):
        if not data:
            return
        with self.cond:
            if self.call_id is None:
                return
            room = self.cap - self.sent
            if len(data) > room:
                data, self.truncated = data[:max(room, 0)], True
            self.sent += len(data)
            call_id = self.call_id
        text = self.decoders[name].decode(data)
        if text:
            send({"type": "stream", "id": call_id, "name": name, "text": text})

    def run(self):
        while True:
            ready, _, _ = select.select(list(self.pipes), [], [])
            for r in ready:
                name = self.pipes[r]
                chunk = os.read(r, 1 << 16)
                buf = self.pending[r] + chunk
                with self.cond:
                    mark = self.marks.get(name)
                if mark and mark in buf:
                    before, after = buf.split(mark, 1)
                    self.forward(name, before)
                    self.pending[r] = after
                    with self.cond:
                        self.marks.pop(name, None)
                        self.cond.notify_all()
                    continue
                keep = 0  # a tail that could be the start of the marker waits for more
                if mark:
                    for k in range(min(len(mark) - 1, len(buf)), 0, -1):
                        if buf.endswith(mark[:k]):
                            keep = k
                            break
                self.forward(name, buf[:len(buf) - keep])
                self.pending[r] = buf[len(buf) - keep:]


# ---- /mnt/data -----------------------------------------------------------------------------------

def snapshot():
    """Regular files under /mnt/data by relative name: (size, mtime_ns, inode). Never follows links."""
    seen, stack, count = {}, [""], 0
    while stack and count < MAX_WALK:
        rel = stack.pop()
        try:
            entries = list(os.scandir(os.path.join(DATA, rel) if rel else DATA))
        except OSError:
            continue
        for e in entries:
            count += 1
            name = rel + "/" + e.name if rel else e.name
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(name)
            elif stat.S_ISREG(st.st_mode):
                seen[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return seen


def read_regular(name, cap):
    """A file's bytes, or None: opened without following a link, checked to be regular."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(os.path.join(DATA, name), flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > cap:
            return None
        chunks, left = [], st.st_size
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def changed_files(before, file_cap, total_cap):
    after, files, total = snapshot(), [], 0
    for name in sorted(after):
        if before.get(name) == after[name]:
            continue
        size = after[name][0]
        content = None
        if size <= file_cap and total + size <= total_cap:
            content = read_regular(name, file_cap)
        if content is not None:
            total += len(content)
        files.append({"name": name, "size": size,
                      "content_b64": base64.b64encode(content).decode() if content is not None else None})
    return files


def save_open_figures(n):
    """Figures a cell left open (plt.plot without savefig) are saved to /mnt/data and closed."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return
    try:
        for i, num in enumerate(plt.get_fignums()):
            plt.figure(num).savefig(os.path.join(DATA, "figure-%d-%d.png" % (n, i + 1)))
        plt.close("all")
    except Exception:
        pass


# ---- running a cell ------------------------------------------------------------------------------

user_globals = {"__name__": "__main__", "__builtins__": __builtins__}
_in_cell = False


def _deadline(signum, frame):
    if _in_cell:
        kind = "wall-clock" if signum == signal.SIGALRM else "CPU"
        raise CellTimeout(kind)
    if signum == signal.SIGXCPU and os.getpid() == _kernel_pid:
        # between calls: threads or processes the code left running used up a call's CPU time
        try:  # not send(): the main thread may hold its lock; the process ends right after
            os.write(_out_fd, ("\n" + json.dumps({"type": "fatal", "error": "code left running "
                     "after a call used more CPU time than one call may (%g s); the session was "
                     "stopped" % _cpu_between[0]}) + "\n").encode())
        finally:
            os._exit(3)


_cpu_between = [30.0]


for _sig in (signal.SIGALRM, signal.SIGPROF, signal.SIGXCPU):
    signal.signal(_sig, _deadline)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_cell(n, code, wall, cpu):
    """Runs code in the session's globals: (status, error)."""
    global _in_cell
    filename = "<cell-%d>" % n
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        tree = ast.parse(code, filename, "exec")
    except SyntaxError:
        return "error", traceback.format_exc(limit=0)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, filename, "exec")
    tail = compile(last, filename, "eval") if last is not None else None
    _cpu_between[0] = cpu
    limit_cpu(cpu + 2)
    _in_cell = True
    try:
        signal.setitimer(signal.ITIMER_REAL, wall)
        signal.setitimer(signal.ITIMER_PROF, cpu)
        exec(body, user_globals)
        if tail is not None:
            value = eval(tail, user_globals)
            if value is not None:
                user_globals["_"] = value
                print(repr(value))
        return "ok", None
    except CellTimeout as e:
        return "timeout", "the cell passed its %s limit (%g s) and was interrupted" % (
            e.args[0], wall if e.args[0] == "wall-clock" else cpu)
    except BaseException as e:  # noqa: BLE001 - the user's exception, SystemExit included
        tb = e.__traceback__
        while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<cell-"):
            tb = tb.tb_next
        return "error", "".join(traceback.format_exception(type(e), e, tb))
    finally:
        if os.getpid() != _kernel_pid:
            os._exit(1)  # a forked child left the code: it ends here, not in the request loop
        _in_cell = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        limit_cpu(cpu + 2)  # what code left running may use until the next call


def limit_cpu(seconds):
    """RLIMIT_CPU's soft limit, seconds from now: SIGXCPU then (the hard limit stays)."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        limit = int(cpu_seconds() + seconds) + 1
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    except (ValueError, OSError):
        pass


def safe_name(name):
    return (isinstance(name, str) and name not in ("", ".", "..") and "/" not in name
            and "\0" not in name and "\\" not in name and len(name.encode("utf-8")) <= 255)


def put(req):
    name = req.get("name")
    if not safe_name(name):
        return {"status": "error", "error": "a file name must be a plain name (no '/', '..' or NUL)"}
    data = base64.b64decode(req.get("content_b64", ""))
    path = os.path.join(DATA, name)
    try:
        if os.path.lexists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
            os.unlink(path)  # a link or special file the code made is replaced, never followed
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as e:
        return {"status": "error", "error": "could not write %s: %s" % (name, e.strerror)}
    return {"status": "ok"}


def main():
    try:
        os.makedirs(DATA, exist_ok=True)
        os.chdir(DATA)
    except OSError:
        pass
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.argv = [""]
    output = Output()
    output.start()
    requests = Requests(_in_fd)
    send({"type": "ready", "python": sys.version.split()[0], "pid": os.getpid()})
    state = {"n": 0}
    while True:
        req = requests.next()
        if req is None:
            os._exit(0)
        try:
            send(handle(req, output, state))
        except Exception as e:  # a malformed request: answered, the session lives on
            call_id = req.get("id") if isinstance(req, dict) else None
            send({"type": "result", "id": call_id, "status": "error",
                  "error": "the kernel could not handle the request: %r" % (e,)})


def handle(req, output, state):
    op, call_id = req.get("op"), req.get("id")
    if op == "exec":
        state["n"] += 1
        n = state["n"]
        before = snapshot()
        output.begin(call_id, int(req.get("max_output", 65536)))
        start = time.monotonic()
        status, error = run_cell(n, req.get("code", ""), float(req.get("wall_s", 60)),
                                 float(req.get("cpu_s", 30)))
        took = time.monotonic() - start
        save_open_figures(n)
        truncated = output.sync(n)
        files = changed_files(before, int(req.get("file_cap", 8 << 20)),
                              int(req.get("files_cap", 24 << 20)))
        return {"type": "result", "id": call_id, "status": status, "error": error,
                "truncated": truncated, "files": files, "took_ms": int(took * 1000)}
    if op == "put":
        return dict(put(req), type="result", id=call_id)
    if op == "list":
        files = [{"name": k, "size": v[0]} for k, v in sorted(snapshot().items())]
        return {"type": "result", "id": call_id, "status": "ok", "files": files}
    return {"type": "result", "id": call_id, "status": "error", "error": "unknown op %r" % (op,)}


main()
