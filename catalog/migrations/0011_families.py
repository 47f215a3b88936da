"""Families and their members (issue 17): what catalog.services.families stores after each import."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0010_marketplace_and_resources'),
    ]

    operations = [
        migrations.CreateModel(
            name='Family',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(help_text='"<kind>/<label>", stable across imports.', max_length=320, unique=True)),
                ('kind', models.CharField(choices=[('agent', 'Agent'), ('command', 'Command'), ('skill', 'Skill')], max_length=10)),
                ('name', models.CharField(help_text='The name its members most often have.', max_length=300)),
                ('size', models.PositiveIntegerField(default=0, help_text='Members, copies included.')),
                ('versions', models.PositiveIntegerField(default=0, help_text='Members that are not copies of another.')),
                ('collections', models.PositiveIntegerField(default=0, help_text='Distinct collections of its members.')),
                ('similarity', models.FloatField(default=1.0, help_text='Mean estimated Jaccard between its versions.')),
                ('links', models.JSONField(blank=True, default=list, help_text='Content links that joined differently named members: [a, b, similarity].')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name_plural': 'families',
                'ordering': ['-size', '-versions', 'similarity', 'key'],
                'indexes': [models.Index(fields=['kind', 'size'], name='catalog_family_kind_size')],
            },
        ),
        migrations.CreateModel(
            name='FamilyMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(help_text="The definition's key when it was last grouped.", max_length=700, unique=True)),
                ('kind', models.CharField(choices=[('agent', 'Agent'), ('command', 'Command'), ('skill', 'Skill')], max_length=10)),
                ('collection', models.CharField(help_text="The collection's slug.", max_length=200)),
                ('name', models.CharField(max_length=300)),
                ('slug', models.CharField(max_length=300)),
                ('signature', models.BinaryField(help_text='catalog.core.families.signatures.Signature.values')),
                ('shingles', models.PositiveIntegerField(default=0)),
                ('scheme', models.CharField(help_text="The signature's recipe; another one means re-sign.", max_length=60)),
                ('sha256', models.CharField(max_length=64)),
                ('first_imported', models.DateTimeField()),
                ('copy_similarity', models.FloatField(blank=True, null=True)),
                ('copied_by', models.PositiveIntegerField(default=0, help_text='Other collections holding a copy of it.')),
                ('score', models.IntegerField(default=0)),
                ('score_reasons', models.JSONField(blank=True, default=list, help_text='"+10 has a description", … adding up.')),
                ('position', models.PositiveIntegerField(default=0, help_text='Rank in its family, best score first.')),
                ('copy_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='copies', to='catalog.familymember')),
                ('definition', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='family_member', to='catalog.definition')),
                ('family', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='catalog.family')),
            ],
            options={
                'ordering': ['family', 'position'],
                'indexes': [models.Index(fields=['collection', 'family'], name='catalog_familymember_coll')],
            },
        ),
    ]
