"""Backups that restore: a seeded site is backed up, restored into an empty database and
empty media roots in another process (``manage.py restore``), and gives back the same rows
and files; retention keeps the newest; a missing, corrupt or tampered file and a non-empty
target are refused with a translated message, nothing changed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tcri_site.backups import (
    BackupCorrupt,
    BackupNotFound,
    TargetNotEmpty,
    backups_in,
    make_backup,
    read_manifest,
    restore_backup,
)
from tests.backups.snapshot import snapshot

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


def seed_small_site():
    """Organisations, people in roles, a forum thread with a private attachment, and a
    Wagtail document in the public media root, all with accents."""
    from wagtail.documents import get_document_model

    from forum import services
    from forum.models import Space
    from tcri_site.members.models import Role
    from tests.factories import OrganisationFactory, make_member

    organisations = [OrganisationFactory(name=f"Accueil réfugié·es n° {n}") for n in range(3)]
    people = [make_member(org, role=role) for org in organisations for role in (Role.DELEGUE, Role.MEMBRE)]
    space = Space.objects.create(name="Espace général", slug="general")
    services.do_create_thread(
        actor=people[1],
        space=space,
        title="Délais d'ERAR",
        body="Voici le compte-rendu de la rencontre à Québec.",
        files=[SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")],
    )
    document = get_document_model()(title="Guide d'accueil — été")
    document.file.save("guide-accueil-ete.txt", ContentFile("Guide : accueil et installation.\n".encode()), save=False)
    document.save()


def subprocess_env(tmp: Path, database_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="tcri_site.settings.dev",
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private_media"),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(tmp / "db.sqlite3")
    return env


@contextmanager
def fresh_install(target: Path):
    """The environment of an empty install on the suite's database: a SQLite file under
    ``target``, or a new PostgreSQL database (dropped afterwards)."""
    from django.db import connection

    target.mkdir()
    if connection.vendor != "postgresql":
        yield subprocess_env(target)
        return
    import psycopg

    dbname = f"tcri_restore_{os.getpid()}_{target.name}"
    admin = _postgres_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    try:
        yield subprocess_env(target, _postgres_url(dbname))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def snapshot_of(env: dict) -> dict:
    result = manage(env, "shell", "-c", "from tests.backups.snapshot import main; main()")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SNAPSHOT "))
    return json.loads(line.removeprefix("SNAPSHOT "))


def normalised(snap: dict) -> dict:
    return json.loads(json.dumps(snap, sort_keys=True, default=list))


def assert_same_site(original: dict, restored: dict) -> None:
    assert restored["counts"] == original["counts"]
    assert sum(original["counts"].values()) > 100  # the seed and what migrations create
    for key in ("organisations", "users", "memberships", "messages", "attachments", "documents", "pages"):
        assert restored[key] == original[key], key
    assert "Accueil réfugié·es n° 2" in restored["organisations"]
    assert restored["media"] == original["media"] and any(n.endswith(".txt") for n in restored["media"])
    assert restored["private_media"] == original["private_media"]
    assert any(n.endswith(".pdf") for n in restored["private_media"])


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite round trip; the PostgreSQL one is below")
def test_sqlite_backup_restores_into_an_empty_install(tmp_path):
    seed_small_site()
    original = normalised(snapshot())
    path = make_backup(tmp_path / "backups")
    manifest = read_manifest(path)
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["counts"]["members.Organisation"] == 3
    assert manifest["migrations"]["members"] and manifest["media"]["private_media"]["files"] >= 1  # other tests of this process leave theirs
    assert (path.stat().st_mode & 0o777) == 0o600

    target = tmp_path / "fresh"
    target.mkdir()
    env = subprocess_env(target)
    result = manage(env, "restore", str(path))
    assert result.returncode == 0, result.stderr
    assert "restaurée" in result.stdout
    assert_same_site(original, snapshot_of(env))

    # The restored install is no longer empty: a second restore is refused, then forced.
    (target / "media" / "stray.txt").write_text("pas dans la sauvegarde")
    again = manage(env, "restore", str(path))
    assert again.returncode != 0 and "--force" in again.stderr and "contient déjà" in again.stderr
    forced = manage(env, "restore", "--force", str(path))
    assert forced.returncode == 0, forced.stderr
    assert not (target / "media" / "stray.txt").exists()
    assert_same_site(original, snapshot_of(env))


def test_backup_command_writes_to_backup_dir_and_keeps_the_newest(tmp_path, settings):
    from django.core.management import call_command

    settings.BACKUP_DIR = tmp_path / "nightly"
    settings.BACKUP_KEEP = 2
    (tmp_path / "nightly").mkdir()
    (tmp_path / "nightly" / "notes.txt").write_text("not a backup, kept")
    made = []
    for _ in range(3):
        out = io.StringIO()
        call_command("backup", stdout=out)
        made.append(Path(out.getvalue().split(" : ", 1)[1].split(" (", 1)[0]))
    assert backups_in(tmp_path / "nightly") == made[1:]
    assert not made[0].exists() and (tmp_path / "nightly" / "notes.txt").exists()
    assert not list((tmp_path / "nightly").glob("*.partial"))
    make_backup(tmp_path / "nightly", keep=1)
    assert len(backups_in(tmp_path / "nightly")) == 1


def _restore_refused(path, exc_type, *, force=True):
    before = normalised(snapshot())
    with pytest.raises(exc_type) as caught:
        restore_backup(path, force=force)
    assert normalised(snapshot()) == before  # nothing changed
    return caught.value


def test_missing_file_is_refused_in_french_and_english(tmp_path):
    refusal = _restore_refused(tmp_path / "absent.tar.gz", BackupNotFound)
    assert "n'existe pas" in str(refusal)
    with translation.override("en"):
        with pytest.raises(BackupNotFound) as caught:
            restore_backup(tmp_path / "absent.tar.gz")
        assert "does not exist" in str(caught.value)


def test_corrupt_and_tampered_backups_are_refused_and_change_nothing(tmp_path):
    seed_small_site()
    good = make_backup(tmp_path)
    data = good.read_bytes()

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    assert "Rien n'a été modifié" in str(_restore_refused(truncated, BackupCorrupt))

    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(os.urandom(4096))
    _restore_refused(garbage, BackupCorrupt)

    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0xFF
    (tmp_path / "flipped.tar.gz").write_bytes(bytes(flipped))
    _restore_refused(tmp_path / "flipped.tar.gz", BackupCorrupt)

    # A well-formed archive whose database copy is not the one the manifest describes.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(good) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("database."):
                content = content[:-1] + bytes([content[-1] ^ 1])
            target.addfile(member, io.BytesIO(content))
    refusal = _restore_refused(tampered, BackupCorrupt)
    assert "empreinte" in str(refusal)
    with translation.override("en"):
        with pytest.raises(BackupCorrupt) as caught:
            restore_backup(tampered, force=True)
        assert "fingerprint" in str(caught.value) and "Nothing was changed" in str(caught.value)

    no_manifest = tmp_path / "no-manifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        info = tarfile.TarInfo("database.sqlite3")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"abcd"))
    _restore_refused(no_manifest, BackupCorrupt)


def test_a_non_empty_install_is_refused_without_force(tmp_path):
    seed_small_site()
    path = make_backup(tmp_path)
    refusal = _restore_refused(path, TargetNotEmpty, force=False)
    assert "--force" in str(refusal)
    with translation.override("en"):
        with pytest.raises(TargetNotEmpty) as caught:
            restore_backup(path)
        assert "already" in str(caught.value)


def _postgres_url(dbname: str) -> str:
    return urlunparse(urlparse(DATABASE_URL)._replace(path=f"/{dbname}"))


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://… (pg_dump/pg_restore round trip)")
def test_postgres_backup_restores_into_a_new_database(tmp_path):
    seed_small_site()
    original = normalised(snapshot())
    path = make_backup(tmp_path / "backups")
    manifest = read_manifest(path)
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["pg_dump_version"].startswith("pg_dump")
    assert manifest["counts"]["members.Organisation"] == 3

    with fresh_install(tmp_path / "fresh") as env:
        result = manage(env, "restore", str(path))
        assert result.returncode == 0, result.stderr
        assert_same_site(original, snapshot_of(env))
        again = manage(env, "restore", str(path))
        assert again.returncode != 0 and "--force" in again.stderr
        forced = manage(env, "restore", "--force", str(path))
        assert forced.returncode == 0, forced.stderr
        assert_same_site(original, snapshot_of(env))


def test_the_nightly_job_makes_a_backup_unless_switched_off(tmp_path, settings):
    from tcri_site.background.registry import jobs

    job = jobs()["backups.nightly"]
    settings.BACKUP_DIR = tmp_path / "nightly"
    settings.BACKUP_NIGHTLY = False
    assert job.func().startswith("off") and not (tmp_path / "nightly").exists()
    settings.BACKUP_NIGHTLY = True
    made = Path(job.func())
    assert made.exists() and backups_in(tmp_path / "nightly") == [made]


def test_a_restore_does_not_resend_what_the_backup_had_queued(tmp_path, settings):
    """The backup shows e-mails queued, being sent and a convocation batch unwritten: they
    most likely went out after it was taken. Restored, none of them goes out by itself;
    staff see them failed with a note, and one retry sends exactly that one."""
    from django.db import transaction

    from tcri_site.mail.models import EmailStatus, OutboundEmail
    from tcri_site.mail.services import enqueue_batch, enqueue_email

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},  # the tasks stay in the backup's queue
    }
    with transaction.atomic():
        for n, status in enumerate([EmailStatus.SENT, EmailStatus.QUEUED, EmailStatus.SENDING, EmailStatus.QUEUED]):
            enqueue_email(key=f"restore-test:{n}", to=f"personne{n}@test.tcri.example", subject="Objet", body="Texte")
            OutboundEmail.objects.filter(key=f"restore-test:{n}").update(status=status)
        enqueue_batch("advocacy.services.sessions.convocation_emails", session_id=1, sent_at="2026-12-01T10:00:00")
    path = make_backup(tmp_path / "backups")

    with fresh_install(tmp_path / "fresh") as env:
        result = manage(env, "restore", str(path))
        assert result.returncode == 0, result.stderr
        assert "4 courriels ou lots" in result.stdout
        # In the restored install, the worker's tasks run (what `manage.py worker` would do):
        # nothing is claimed, nothing is sent; staff retry one and only that one goes.
        script = (
            "import json\n"
            "from django.core import mail\n"
            "from django.test.utils import override_settings\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "from tcri_site.mail.models import OutboundEmail, MailBatch\n"
            "from tcri_site.mail.services import deliver, write_batch\n"
            "from tcri_site.mail.models import EmailStatus\n"
            "with override_settings(EMAIL_BACKEND='django.core.mail.backends.locmem.EmailBackend'):\n"
            "    mail.outbox = []\n"
            "    tasks = DBTaskResult.objects.count()\n"
            "    answers = [deliver(pk) for pk in OutboundEmail.objects.values_list('pk', flat=True)]\n"
            "    answers += [write_batch(pk) for pk in MailBatch.objects.values_list('pk', flat=True)]\n"
            "    statuses = sorted(OutboundEmail.objects.values_list('status', flat=True))\n"
            "    notes = all('sauvegarde' in e for e in OutboundEmail.objects.filter(status='failed').values_list('last_error', flat=True))\n"
            "    sent_before = len(mail.outbox)\n"
            "    row = OutboundEmail.objects.filter(status='failed').order_by('pk').first()\n"
            "    OutboundEmail.objects.filter(pk=row.pk).update(status=EmailStatus.QUEUED, attempts=0)\n"
            "    retried = deliver(row.pk)\n"
            "    print('RESULT ' + json.dumps({'tasks': tasks, 'answers': answers, 'statuses': statuses, 'notes': notes,\n"
            "          'sent_before': sent_before, 'retried': retried, 'to': [m.to for m in mail.outbox]}))\n"
        )
        checked = manage(env, "shell", "-c", script)
        assert checked.returncode == 0, checked.stderr
        line = next(line for line in checked.stdout.splitlines() if line.startswith("RESULT "))
        found = json.loads(line.removeprefix("RESULT "))
        assert found["tasks"] >= 4  # the backup kept the delivery and batch tasks...
        assert found["answers"] == ["skipped"] * 5  # ...which claim nothing
        assert found["statuses"] == ["failed", "failed", "failed", "sent"] and found["notes"]
        assert found["sent_before"] == 0
        assert found["retried"] == "sent" and found["to"] == [["personne1@test.tcri.example"]]
