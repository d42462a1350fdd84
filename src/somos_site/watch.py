"""File watching for `serve`: which paths changed, as the operating system reports them.

livereload's own watcher polls: every 0.8 s it reads the modification time of every file
under the watched folders, and then tells the rebuild only that "something changed", so
the rebuild lists and stats the whole content folder again (about 0.1 s at 10,000 files,
on top of the polling delay). This watcher is livereload's, told by watchdog (inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) which files were created,
modified, moved or deleted, and hands each task the list of those paths: the rebuild
then reads only them. Where the operating system's notifications cannot be had (too many
watches, say), it falls back to livereload's polling, and the rebuild to a full listing."""

from __future__ import annotations

import threading
from inspect import signature

from livereload.watcher import Watcher
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

# Opening or reading a file is no change (the rebuild reads files: these would loop).
CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED}


def changed_paths(event: FileSystemEvent) -> list[str]:
    """The paths an event says changed: none for a read, or for a folder whose listing
    changed (the file created or deleted in it has its own event)."""
    if event.event_type not in CHANGES or (event.is_directory and event.event_type == EVENT_TYPE_MODIFIED):
        return []
    paths = [event.src_path, getattr(event, "dest_path", "")]
    return [p if isinstance(p, str) else p.decode() for p in paths if p]


class Recorder(FileSystemEventHandler):
    def __init__(self, watcher: EventWatcher, task: str) -> None:
        self.watcher, self.task = watcher, task

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = changed_paths(event)
        if paths:
            self.watcher.record(self.task, paths)


class EventWatcher(Watcher):
    """A livereload `Watcher` whose tasks are called with the paths that changed."""

    def __init__(self) -> None:
        super().__init__()
        self.observer = Observer()
        self.pending: dict[str, dict[str, None]] = {}  # task -> the paths changed, in order
        self.guard = threading.Lock()  # events arrive on watchdog's thread
        self.wake = None  # schedules livereload's examine on its event loop
        self.polling = False

    def watch(self, path, func=None, delay=0, ignore=None) -> None:
        """Watch `path` from now on: the operating system's notifications start here, not
        when livereload starts the watcher after the server listens (a change saved in
        between, or during the first build, would otherwise be lost)."""
        super().watch(path, func, delay, ignore)
        self.pending.setdefault(path, {})
        try:
            self.observer.schedule(Recorder(self, path), path, recursive=True)
            if not self.observer.is_alive():
                self.observer.start()
        except OSError:
            self.polling = True

    def start(self, callback) -> bool:
        """Called by livereload with the function that examines the tasks; False asks it
        to poll instead."""
        if self.polling:
            return False
        from tornado.ioloop import IOLoop

        loop = IOLoop.current()
        self.wake = lambda: loop.add_callback(callback)
        if self.waiting():  # changes saved before the server started
            self.wake()
        return True

    def waiting(self) -> bool:
        with self.guard:
            return any(self.pending.values())

    def record(self, task: str, paths: list[str]) -> None:
        with self.guard:
            self.pending[task].update(dict.fromkeys(paths))
        if self.wake is not None:
            self.wake()

    def take(self) -> dict[str, list[str]]:
        """The paths changed since the last call, by task."""
        with self.guard:
            taken = {task: list(paths) for task, paths in self.pending.items() if paths}
            for paths in self.pending.values():
                paths.clear()
        return taken

    def examine(self):
        """Run the tasks whose folders changed; (a changed path, the reload delay)."""
        if self.polling:
            return super().examine()
        if self._changes:  # livereload's own first "change"; paths waiting are examined next
            if self.waiting():
                self.wake()
            return self._changes.pop()
        self.filepath = None
        delays = set()
        for task, paths in self.take().items():
            item = self._tasks[task]
            ignore = item["ignore"]
            paths = [p for p in paths if not self.ignore(p) and not (ignore and ignore(p))]
            if not paths:
                continue
            self.filepath = paths[-1]
            if isinstance(item["delay"], float):
                delays.add(item["delay"])
            func = item["func"]
            if func is not None:
                func(paths) if signature(func).parameters else func()
        return self.filepath, max(delays) if delays else None

    def stop(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join()
