-- one row per mentee, construct and pair of waves with both scores known at the as-of date that may enter an
-- aggregate: matched respondents are released in batches of the minimum group per cohort, level, construct and
-- waves, in the order their second answer became known
with

settings as (select min_group from as_of_date),

scores as (select * from fct_construct_scores where role = 'mentee' and score is not null),

matched as (
    select
        before.participant_id,
        before.cohort_id,
        coalesce(people.level, 'unknown') as level,
        before.construct,
        before.wave as before_wave,
        after.wave as after_wave,
        before.score as before,
        after.score as after,
        before.scale_min,
        before.scale_max,
        greatest(before.known_on, after.known_on) as known_on
    from scores as before
    inner join scores as after using (participant_id, construct)
    inner join asof_participants as people using (participant_id)
    where before.wave in ('pre', 'retro_pre') and after.wave in ('post', 'followup')
),

-- a row's batch is full when the cell holds at least as many rows as the batches up to it: one sort per cell
numbered as (
    select
        matched.*,
        row_number() over cell as position,
        count(*) over (cell rows between unbounded preceding and unbounded following) as cell_size,
        settings.min_group
    from matched
    cross join settings
    window cell as (
        partition by cohort_id, level, construct, before_wave, after_wave order by known_on, participant_id
    )
),

final as (
    select * exclude (position, cell_size, min_group, known_on)
    from numbered
    where position <= cell_size // min_group * min_group
)

select * from final
