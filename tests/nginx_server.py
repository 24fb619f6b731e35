"""The built site behind the real nginx (Debian's package), as the generated configuration serves it.

``nginx -p tmp -c conf -g 'daemon off;'`` runs in the foreground with its pid file, logs and
temporary folders in a temp folder. The listening socket is made here and handed to nginx
the way nginx hands sockets to a new binary on upgrade (the ``NGINX`` environment variable
names inherited descriptors): connections queue on it from the start, so a test never has
to wait for nginx to be ready.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")


def main_config(tmp: Path, site_config: Path) -> str:
    temp = "\n".join(f"  {name}_temp_path {tmp / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # the workers must read the test's temp folders, which only their owner may enter
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n  access_log off;\n{temp}\n  include {site_config};\n}}\n")


class Nginx:
    def __init__(self, tmp: Path) -> None:
        if not NGINX.exists():
            raise FileNotFoundError(f"{NGINX} is missing: `make test` installs Debian's nginx package")
        self.tmp = tmp
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.sock.set_inheritable(True)
        self.port = self.sock.getsockname()[1]
        self.process: subprocess.Popen | None = None

    @property
    def listen(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, site_config: Path) -> None:
        conf = self.tmp / "nginx.conf"
        conf.write_text(main_config(self.tmp, site_config), encoding="utf-8")
        env = dict(os.environ, NGINX=f"{self.sock.fileno()};")
        check = subprocess.run([str(NGINX), "-t", "-p", str(self.tmp), "-c", str(conf)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen([str(NGINX), "-p", str(self.tmp), "-c", str(conf), "-g", "daemon off;"],
                                        env=env, pass_fds=(self.sock.fileno(),))

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.sock.close()

    def log(self) -> str:
        path = self.tmp / "error.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""
