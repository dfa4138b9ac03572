"""Registry: signals, indicators, forms, persons, identifiers and the append-only events.

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signal_id', sa.String(length=16), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user', sa.String(length=120), nullable=False),
    sa.Column('actor_org', sa.String(length=120), nullable=False),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_signal_at', ['signal_id', 'at'], unique=False)

    op.create_table('signals',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=True),
    sa.Column('received_at', sa.Date(), nullable=False),
    sa.Column('observed_at', sa.Date(), nullable=True),
    sa.Column('reporter_org', sa.String(length=120), nullable=False),
    sa.Column('reporter_sector', sa.String(length=40), nullable=False),
    sa.Column('police_unit', sa.String(length=40), nullable=True),
    sa.Column('municipality', sa.String(length=80), nullable=True),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('owner_org', sa.String(length=120), nullable=False),
    sa.Column('purpose', sa.String(length=80), nullable=False),
    sa.Column('legal_basis', sa.String(length=40), nullable=False),
    sa.Column('consent', sa.String(length=20), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('forms', sa.String(length=80), nullable=False),
    sa.Column('urgency', sa.Integer(), nullable=False),
    sa.Column('youngest_age', sa.Integer(), nullable=True),
    sa.Column('indicator_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reporter_org', 'source_id', name='uq_signals_source')
    )
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.create_index('ix_signals_owner_org', ['owner_org'], unique=False)
        batch_op.create_index('ix_signals_police_unit', ['police_unit'], unique=False)
        batch_op.create_index('ix_signals_received', ['received_at'], unique=False)
        batch_op.create_index('ix_signals_status_received', ['status', 'received_at'], unique=False)
        batch_op.create_index('ix_signals_worklist', ['urgency', 'received_at'], unique=False)

    op.create_table('identifiers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signal_id', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('raw', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.create_index('ix_identifiers_kind_value', ['kind', 'value'], unique=False)
        batch_op.create_index(batch_op.f('ix_identifiers_signal_id'), ['signal_id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signal_id', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=8), nullable=True),
    sa.Column('gender', sa.String(length=20), nullable=True),
    sa.Column('nationality', sa.String(length=60), nullable=True),
    sa.Column('residence', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_signal_id'), ['signal_id'], unique=False)

    op.create_table('signal_forms',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signal_id', sa.String(length=16), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('set_by', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signal_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_forms_signal_id'), ['signal_id'], unique=False)

    op.create_table('signal_indicators',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signal_id', sa.String(length=16), nullable=False),
    sa.Column('indicator_id', sa.String(length=80), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('certainty', sa.String(length=16), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['signal_id'], ['signals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signal_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_indicators_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_indicators_signal_id'), ['signal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signal_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_indicators_signal_id'))
        batch_op.drop_index(batch_op.f('ix_signal_indicators_indicator_id'))

    op.drop_table('signal_indicators')
    with op.batch_alter_table('signal_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_forms_signal_id'))

    op.drop_table('signal_forms')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_signal_id'))

    op.drop_table('persons')
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identifiers_signal_id'))
        batch_op.drop_index('ix_identifiers_kind_value')

    op.drop_table('identifiers')
    with op.batch_alter_table('signals', schema=None) as batch_op:
        batch_op.drop_index('ix_signals_worklist')
        batch_op.drop_index('ix_signals_status_received')
        batch_op.drop_index('ix_signals_received')
        batch_op.drop_index('ix_signals_police_unit')
        batch_op.drop_index('ix_signals_owner_org')

    op.drop_table('signals')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_signal_at')

    op.drop_table('events')
