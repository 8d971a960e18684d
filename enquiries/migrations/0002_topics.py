from django.db import migrations

# A copy, not an import: a migration must keep doing what it did when it was written.
TOPICS = [
    ("alcohol", "Alcohol"),
    ("drugs", "Drugs"),
    ("gambling", "Gambling"),
    ("another_behaviour", "Another behaviour"),
    ("not_sure", "Not sure"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("enquiries", "Topic")
    for position, (slug, name) in enumerate(TOPICS):
        Topic.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_enquiry_topic_timeline")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
