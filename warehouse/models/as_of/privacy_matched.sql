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

batched as (
    select
        matched.*,
        (row_number() over (
            partition by cohort_id, level, construct, before_wave, after_wave order by known_on, participant_id
        ) - 1) // settings.min_group as batch,
        settings.min_group
    from matched
    cross join settings
),

final as (
    select * exclude (batch, min_group, known_on)
    from batched
    qualify count(*) over (partition by cohort_id, level, construct, before_wave, after_wave, batch) = min_group
)

select * from final
