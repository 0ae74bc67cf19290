"""factory_boy factories for test data (rows are flushed into the app's session)."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from compliance.auth.models import Membership, User, UserRole
from compliance.auth.passwords import hash_password
from compliance.core.extensions import db
from compliance.org.models import Department, Process

PASSWORD = "correct horse battery"
# Hashing once keeps argon2's deliberate cost out of every factory call.
PASSWORD_HASH = hash_password(PASSWORD, cost="test")


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class DepartmentFactory(_Base):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name_vi = factory.Sequence(lambda n: f"Phòng thử nghiệm {n}")
    name_en = factory.Sequence(lambda n: f"Test office {n}")
    active = True


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    name = factory.Sequence(lambda n: f"Người dùng {n}")
    locale = "en"
    active = True
    password_hash = PASSWORD_HASH

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        # Added beside the user rather than through `self.roles`, whose first use would read
        # the (empty) collection back from the database.
        for role in extracted or ():
            db.session.add(UserRole(user_id=self.id, role=role))


class MembershipFactory(_Base):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = "staff"


class ProcessFactory(_Base):
    class Meta:
        model = Process

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name_vi = factory.Sequence(lambda n: f"Quy trình {n}")
    name_en = factory.Sequence(lambda n: f"Process {n}")
    department = factory.SubFactory(DepartmentFactory)
    inputs = "Hồ sơ"
    outputs = "Kết quả"
