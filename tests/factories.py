import factory
from django.utils.text import slugify

from tcri_site.members.models import Membership, Organisation, Region, Role, StaffRole, User, Volet
from tcri_site.members.roles import ensure_staff_groups


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"personne{n}@test.tcri.example")
    password = factory.django.Password("motdepasse-test-123")
    language = "fr"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisme test {n}")
    acronym = factory.Sequence(lambda n: f"OT{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = Region.MONTREAL
    pasi_participant = True

    @factory.post_generation
    def volets(self, create, extracted, **kwargs):
        if create:
            numbers = extracted if extracted is not None else [1]
            self.volets.set(Volet.objects.filter(number__in=numbers))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBRE


def make_member(organisation=None, role=Role.MEMBRE, **user_kwargs) -> User:
    """A person with an active membership (fresh user instance, no cached membership)."""
    membership = MembershipFactory(
        user=UserFactory(**user_kwargs),
        organisation=organisation or OrganisationFactory(),
        role=role,
    )
    return User.objects.get(pk=membership.user_id)


def make_staff(role: StaffRole = StaffRole.PROJECT_LEAD, **user_kwargs) -> User:
    groups = ensure_staff_groups()
    user = UserFactory(is_staff=True, **user_kwargs)
    user.groups.add(groups[role.value])
    return User.objects.get(pk=user.pk)
