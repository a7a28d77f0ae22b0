"""The web server of `tutor serve`: textual-serve's, with a door in front (the learner's ID).

textual-serve runs one app process per browser connection and relays the
terminal through a websocket; it knows nothing of learners. This subclass adds:

- ``/``: a page in Japanese to start as a new learner or continue with an ID;
- ``/learn/<id>``: the terminal page for that learner (bookmarkable);
- ``/ws/<id>``: the websocket, whose app process runs with the learner's own
  ``TUTOR_HOME`` (classroom.py), so no learner reaches another's progress;
- a cap on learners at once, and one tab per learner (two processes saving one
  progress file would undo each other's answers).

The page loads nothing from the internet (textual-serve's own template asks
Google for a font): a classroom may have no connection.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import sys
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from . import SERVED_ENV
from .classroom import Classroom, normalize

log = logging.getLogger("textual-serve")

HERE = Path(__file__).resolve().parent
#: textual-serve's scripts and styles (xterm.js): served as they are.
STATIC = Path(__import__("textual_serve").__file__).resolve().parent / "static"
TITLE = "日本語NLPチューター"
#: Seconds an app process gets to quit after its tab closed, before it is killed.
QUIT_GRACE = 10.0


class TutorServer(Server):
    def __init__(self, classroom: Classroom, host: str = "127.0.0.1", port: int = 8000, max_learners: int = 8,
                 app_args: list[str] | None = None) -> None:
        super().__init__(command="tutor", host=host, port=port, title=TITLE, statics_path=STATIC,
                         templates_path=HERE / "templates")
        self.classroom = classroom
        self.max_learners = max_learners
        self.app_args = app_args or []
        self.active: set[str] = set()  # learners with an open tab
        self.services: set[AppService] = set()  # their app processes, stopped with the server

    # -- routes -----------------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_door, name="index"),
            web.post("/new", self.handle_new, name="new"),
            web.get("/resume", self.handle_resume, name="resume"),
            web.get("/learn/{learner}", self.handle_learn, name="learn"),
            web.get("/ws/{learner}", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        pass  # `tutor serve` prints its own lines (cli_serve.py); textual-serve's logo is not ours

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C or SIGTERM: every learner's app saves and ends with the server (none is left running)."""
        await asyncio.gather(*(stop(service) for service in list(self.services)), return_exceptions=True)

    def door(self, request: web.Request, message: str = "", status: int = 200) -> web.Response:
        return aiohttp_jinja2.render_template("door.html", request, {"title": TITLE, "message": message},
                                              status=status)

    async def handle_door(self, request: web.Request) -> web.Response:
        return self.door(request)

    async def handle_new(self, request: web.Request) -> web.Response:
        learner = self.classroom.new_learner()
        log.info("new learner %s", learner)
        raise web.HTTPSeeOther(f"/learn/{learner}?new=1")

    async def handle_resume(self, request: web.Request) -> web.Response:
        learner = normalize(request.query.get("id", ""))
        if learner is None or self.classroom.home(learner) is None:
            return self.door(request, "その ID の学習者はいません。メモした ID をもう一度確かめてください"
                                      "（例: 7kq4m-zx2pa）。", status=404)
        raise web.HTTPSeeOther(f"/learn/{learner}")

    def refusal(self, learner: str) -> tuple[int, str] | None:
        """Why this learner's tab cannot open now, or None."""
        if learner in self.active:
            return 409, "この ID はほかのタブかブラウザで開かれています。そちらを閉じてから開き直してください。"
        if len(self.active) >= self.max_learners:
            return 503, (f"いまは {self.max_learners} 人が使っていて満員です（サーバーを起動した人が決めた人数です）。"
                         "しばらくしてから開き直してください。")
        return None

    async def handle_learn(self, request: web.Request) -> web.Response:
        learner = request.match_info["learner"]
        if self.classroom.home(learner) is None:
            return self.door(request, "その ID の学習者はいません。", status=404)
        refused = self.refusal(learner)
        if refused:
            return self.door(request, refused[1], status=refused[0])
        # The websocket's address follows the one the browser used: behind --host 0.0.0.0 the
        # server's own name would be 0.0.0.0, which no browser can reach.
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": TITLE,
            "learner": learner,
            "new": request.query.get("new") == "1",
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "websocket_url": f"{scheme}://{request.host}/ws/{learner}",
            "static_url": "/static/",
        }
        return aiohttp_jinja2.render_template("learn.html", request, context)

    # -- the app process ----------------------------------------------------------------------
    def command_for(self, home: Path) -> str:
        """The shell command of one learner's app: the tutor with that learner's TUTOR_HOME."""
        env = {"TUTOR_HOME": str(home), SERVED_ENV: "1", "EDITOR": "", "VISUAL": ""}
        corpus = os.environ.get("TUTOR_DATA_DIR")
        if corpus:  # every learner reads the one corpus; nothing else of the server's home is shared
            env["TUTOR_DATA_DIR"] = corpus
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        return f"{assignments} exec {shlex.join([sys.executable, '-m', 'tutor', *self.app_args])}"

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        learner = request.match_info["learner"]
        home = self.classroom.home(learner)
        if home is None:
            raise web.HTTPNotFound(text="unknown learner")
        refused = self.refusal(learner)
        if refused:
            status, text = refused
            raise (web.HTTPConflict if status == 409 else web.HTTPServiceUnavailable)(text=text)
        self.active.add(learner)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(self.command_for(home), write_bytes=websocket.send_bytes,
                                 write_str=websocket.send_str, close=websocket.close,
                                 download_manager=self.download_manager, debug=self.debug)
            await service.start(width, height)
            self.services.add(service)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one learner's failure must not stop the server
            log.exception(error)
        finally:
            self.active.discard(learner)
            if service is not None:
                await stop(service)
                self.services.discard(service)
        return websocket


async def stop(service: AppService) -> None:
    """Ask the app to quit; kill it if it has not within QUIT_GRACE (a closed tab must not leave it running)."""
    try:
        await asyncio.wait_for(service.stop(), QUIT_GRACE)
    except (asyncio.TimeoutError, Exception):  # noqa: BLE001
        process = service._process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()

