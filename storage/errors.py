"""Errors that storage raises for its callers to report; each names what went wrong and where."""

import errno


class StorageError(Exception):
    """A database problem the user can fix (bad URL, unreachable server); the message is user-facing."""

    def __init__(self, message: str, *, setting: str = "storage.database_url") -> None:
        super().__init__(message)
        self.setting = setting


# What the system says about a file it cannot use, in the user's words (the C library's are English).
_ERRNO_VI = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép",
    errno.EISDIR: "là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENOSPC: "hết chỗ trên đĩa",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EEXIST: "đã có",
    errno.ENAMETOOLONG: "tên quá dài",
}


def os_reason(exc: OSError) -> str:
    """What is wrong, in Vietnamese where the error is a common one (else the system's own words)."""
    return _ERRNO_VI.get(exc.errno or 0) or exc.strerror or str(exc)


def file_problem(exc: OSError) -> str:
    """One Vietnamese line for an OSError: the file it names and what is wrong with it."""
    return f"{exc.filename}: {os_reason(exc)}" if exc.filename is not None else os_reason(exc)
