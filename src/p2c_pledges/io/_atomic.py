"""Safe writes: a file is written whole under a temporary name, then renamed onto its own.

An exception or Ctrl-C while writing leaves the old file, or no file, never half
of one: the temporary file is removed and the target is not touched. The rename
is :func:`os.replace`, atomic on POSIX and on Windows when both names are in the
same folder, which is why the temporary file is made beside the target.

A data package is several files (the tables and the descriptor): each is written
to its temporary name first, and they are renamed one after the other only when
all are written. An existing file keeps its permission bits (a new one gets those
of the user's umask), and through a symbolic link the file it points to is the one
replaced. A process killed with ``SIGKILL`` cannot clean up after itself:
its temporary files (``.<name>.<random>.tmp``) stay, and the targets are intact.
Other signals end a Python process without running ``finally`` blocks unless the
program turns them into exceptions, as Python does for ``SIGINT``: the command
line does so for ``SIGTERM``, ``SIGHUP`` and the other ending signals
(:mod:`p2c_pledges.cli`); a library does not take the process's signals.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path


__all__ = ["replacing"]


def _temporary_beside(path: Path) -> Path:
    # Not tempfile.mkstemp: it makes the file 0600, and the renamed file would
    # keep that mode instead of the one the user's umask gives new files.
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # pragma: no cover - 2**32 names
            continue
        os.close(descriptor)
        return temporary


def _keep_mode(temporary: Path, target: Path) -> None:
    # A file the user made private (0600) stays private: an existing target's
    # permission bits pass to the file that replaces it.
    with contextlib.suppress(FileNotFoundError):
        temporary.chmod(stat.S_IMODE(target.stat().st_mode))


def _flush_to_disk(path: Path) -> None:
    # Without fsync, a power cut after the rename can leave the new name pointing
    # at blocks that were never written. Windows needs a writable descriptor.
    descriptor = os.open(path, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def replacing(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """Give a temporary path beside each of ``paths``; rename each onto its target on success.

    Args:
        paths: The files to write.

    Yields:
        The temporary paths, in the order of ``paths``: write to these.

    Raises:
        OSError: A temporary file cannot be made, flushed or renamed.
    """
    # Through a symbolic link, the file it points to is replaced and the link
    # stays (renaming onto the link itself would replace the link with a file).
    targets = [Path(os.path.realpath(path)) for path in paths]
    for path, target in zip(paths, targets, strict=True):
        if target.is_dir():  # found now, not after writing the whole file
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    temporaries: list[Path] = []
    try:
        for path, target in zip(paths, targets, strict=True):
            # One by one, so that a failure midway still removes those already made.
            try:
                temporaries.append(_temporary_beside(target))
            except OSError as error:  # a missing or read-only folder: name the caller's file
                raise type(error)(error.errno, error.strerror, str(path)) from error
        yield temporaries
        for temporary, target in zip(temporaries, targets, strict=True):
            _keep_mode(temporary, target)
            _flush_to_disk(temporary)
        for temporary, target in zip(temporaries, targets, strict=True):
            temporary.replace(target)
    except OSError as error:
        raise _naming_the_target(error, paths, temporaries) from error
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def _naming_the_target(
    error: OSError, paths: Sequence[Path], temporaries: Sequence[Path]
) -> OSError:
    """Return ``error`` naming the file the caller asked for, not a temporary file or none.

    A full disk fails a write or a flush with no file name at all
    (``: No space left on device``); a rename fails naming the temporary file.
    The caller knows neither: the error names the target (the first one, the
    main table of a data package, when the failing file is not known).
    """
    named = {str(temporary): path for temporary, path in zip(temporaries, paths, strict=False)}
    if error.filename is not None and str(error.filename) not in named:
        return error  # already names a file of the caller's
    target = named.get(str(error.filename), paths[0]) if paths else None
    if target is None or error.errno is None:  # pragma: no cover - every OSError of a write
        return error
    return type(error)(error.errno, error.strerror, str(target))
