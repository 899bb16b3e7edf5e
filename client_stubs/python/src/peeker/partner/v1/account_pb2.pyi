from peeker.partner.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PermissionPreset(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PERMISSION_PRESET_UNSPECIFIED: _ClassVar[PermissionPreset]
    PERMISSION_PRESET_FULL: _ClassVar[PermissionPreset]
    PERMISSION_PRESET_LIMITED: _ClassVar[PermissionPreset]
    PERMISSION_PRESET_READ: _ClassVar[PermissionPreset]
PERMISSION_PRESET_UNSPECIFIED: PermissionPreset
PERMISSION_PRESET_FULL: PermissionPreset
PERMISSION_PRESET_LIMITED: PermissionPreset
PERMISSION_PRESET_READ: PermissionPreset

class GetAccountRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetAccountResponse(_message.Message):
    __slots__ = ("partner", "environment", "permission_preset")
    PARTNER_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_PRESET_FIELD_NUMBER: _ClassVar[int]
    partner: Partner
    environment: _common_pb2.Environment
    permission_preset: PermissionPreset
    def __init__(self, partner: _Optional[_Union[Partner, _Mapping]] = ..., environment: _Optional[_Union[_common_pb2.Environment, str]] = ..., permission_preset: _Optional[_Union[PermissionPreset, str]] = ...) -> None: ...

class Partner(_message.Message):
    __slots__ = ("id", "name")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...
