from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class Environment(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENVIRONMENT_UNSPECIFIED: _ClassVar[Environment]
    ENVIRONMENT_SANDBOX: _ClassVar[Environment]
    ENVIRONMENT_LIVE: _ClassVar[Environment]

class MailProvider(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MAIL_PROVIDER_UNSPECIFIED: _ClassVar[MailProvider]
    MAIL_PROVIDER_GOOGLE: _ClassVar[MailProvider]
    MAIL_PROVIDER_MICROSOFT: _ClassVar[MailProvider]
ENVIRONMENT_UNSPECIFIED: Environment
ENVIRONMENT_SANDBOX: Environment
ENVIRONMENT_LIVE: Environment
MAIL_PROVIDER_UNSPECIFIED: MailProvider
MAIL_PROVIDER_GOOGLE: MailProvider
MAIL_PROVIDER_MICROSOFT: MailProvider
